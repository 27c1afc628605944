using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.S3;

/// <summary>
/// Face images as S3 objects under <c>{Prefix}{personId}/{imageId}.jpg</c>, as the seed design keeps them: the person's
/// name in user metadata <c>fullname</c> (RFC 2047 when not plain ASCII, see <see cref="S3MetadataText"/>) and their id
/// in <c>personid</c>, encrypted at rest (SSE-S3, or SSE-KMS by setting).
/// </summary>
public sealed class S3FaceImageStore(IAmazonS3 s3, IOptions<AwsOptions> options) : IFaceImageStore
{
    public const string FullNameMetadata = "fullname";
    public const string PersonIdMetadata = "personid";

    private readonly AwsOptions _options = options.Value;

    public string ObjectKey(FaceImageKey key) => _options.NormalizedPrefix + key.Value;

    public async Task PutAsync(FaceImageKey key, ReadOnlyMemory<byte> image, FaceImageMetadata metadata, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(image.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKey(key),
            InputStream = body,
            AutoCloseStream = false,
            ContentType = metadata.ContentType,
            // SDK v4 frames bodies as aws-chunked with a trailing checksum by default. Real S3 strips the framing,
            // but S3-compatible servers (s3rver, some appliances) store it inside the object. A plain body with a
            // Content-Length is accepted everywhere, so the bytes read back are the bytes written.
            UseChunkEncoding = false,
            ServerSideEncryptionMethod = _options.Encryption == S3Encryption.Kms
                ? ServerSideEncryptionMethod.AWSKMS
                : ServerSideEncryptionMethod.AES256,
        };
        if (_options.Encryption == S3Encryption.Kms && !string.IsNullOrWhiteSpace(_options.KmsKeyId))
        {
            request.ServerSideEncryptionKeyManagementServiceKeyId = _options.KmsKeyId;
        }

        request.Metadata.Add(FullNameMetadata, S3MetadataText.Encode(metadata.FullName));
        request.Metadata.Add(PersonIdMetadata, metadata.PersonId.ToString("D"));

        // One PUT writes an object whole or not at all: S3 never exposes a partly written object.
        await s3.PutObjectAsync(request, cancellationToken);
    }

    public async Task<StoredFaceImage?> GetAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken);
            using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return new StoredFaceImage(buffer.ToArray(), ReadMetadata(key, response.Metadata, response.Headers.ContentType));
        }
        catch (AmazonS3Exception ex) when (IsMissing(ex))
        {
            return null;
        }
    }

    /// <summary>The name and id stored with an object, without downloading it (the S3 function reads only this).</summary>
    public async Task<FaceImageMetadata?> GetMetadataAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), cancellationToken);
            return ReadMetadata(key, response.Metadata, response.Headers.ContentType);
        }
        catch (AmazonS3Exception ex) when (IsMissing(ex))
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        // S3 answers 204 whether or not the key existed, so ask first: the port reports whether something was deleted.
        if (await GetMetadataAsync(key, cancellationToken) is null)
        {
            return false;
        }

        await s3.DeleteObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken);
        return true;
    }

    /// <summary>
    /// The key is the truth about whose image this is; the metadata's person id is a copy for people browsing the bucket.
    /// An object uploaded without <c>fullname</c> gets an empty name, which registration refuses with a clear message.
    /// </summary>
    private static FaceImageMetadata ReadMetadata(FaceImageKey key, MetadataCollection metadata, string? contentType) =>
        new(S3MetadataText.Decode(metadata[FullNameMetadata]), key.PersonId, string.IsNullOrEmpty(contentType) ? "image/jpeg" : contentType);

    /// <summary>A missing key, not a missing bucket: that is a configuration error and must not read as "no image".</summary>
    private static bool IsMissing(AmazonS3Exception ex) =>
        ex.ErrorCode != "NoSuchBucket" && (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NotFound");
}
