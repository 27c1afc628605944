using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.S3;

/// <summary>
/// Face images as S3 objects under <c>{Prefix}{personId}/{imageId}.jpg</c>, as the seed design keeps them: the person's
/// name in user metadata <c>fullname</c> (RFC 2047 when not plain ASCII, see <see cref="S3MetadataText"/>) and their id
/// in <c>personid</c>, encrypted at rest (SSE-S3, or SSE-KMS by setting).
/// </summary>
/// <remarks>
/// Reads are bounded by the image-byte limit every face engine applies (<c>FaceLogin:Engine:Decoder:MaxBytes</c>, 5 MB by
/// default): anyone who can upload under the prefix reaches <see cref="GetAsync"/> through the S3 function, and an object
/// larger than any engine accepts is refused from its Content-Length, before a byte of it is read.
/// </remarks>
public sealed class S3FaceImageStore(IAmazonS3 s3, IOptions<AwsOptions> options, IOptions<LocalEngineOptions> engine) : IFaceImageStore
{
    public const string FullNameMetadata = "fullname";
    public const string PersonIdMetadata = "personid";

    /// <summary>
    /// Metadata <c>source: facelogin</c> marks an object FaceLogin wrote itself (a sign-up photo, an imported photo). The code
    /// that wrote it registers it, so the S3 function skips it (docs/aws.md, "The S3-upload function").
    /// </summary>
    public const string SourceMetadata = "source";
    public const string WrittenByFaceLogin = "facelogin";

    private const int ReadChunk = 81_920;

    /// <summary>The most keys one DeleteObjects call takes (and one listing page returns).</summary>
    private const int MaxKeysPerDelete = 1000;

    private readonly AwsOptions _options = options.Value;

    /// <summary>Objects above this many bytes are refused unread (<see cref="ImageProblem.TooLarge"/>).</summary>
    public long MaxImageBytes { get; } = engine.Value.Decoder.MaxBytes;

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
        request.Metadata.Add(SourceMetadata, WrittenByFaceLogin);

        // One PUT writes an object whole or not at all: S3 never exposes a partly written object.
        await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="FaceImageRejectedException">The object is larger than <see cref="MaxImageBytes"/> (<see cref="ImageProblem.TooLarge"/>).</exception>
    public async Task<StoredFaceImage?> GetAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        try
        {
            // Disposing the response unread closes the connection: the rest of a refused object is never transferred.
            using var response = await s3.GetObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > MaxImageBytes)
            {
                throw TooLarge();
            }

            var bytes = await ReadAtMostAsync(response.ResponseStream, response.ContentLength, cancellationToken).ConfigureAwait(false);
            return new StoredFaceImage(bytes, ReadMetadata(key, response.Metadata, response.Headers.ContentType));
        }
        catch (AmazonS3Exception ex) when (IsMissing(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the body, never more than <see cref="MaxImageBytes"/> whatever Content-Length said (a server or proxy that
    /// sends more, or none): the buffer holds at most the limit.
    /// </summary>
    private async Task<byte[]> ReadAtMostAsync(Stream body, long declaredLength, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(declaredLength > 0 ? (int)declaredLength : 0);
        var chunk = new byte[ReadChunk];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxImageBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private FaceImageRejectedException TooLarge() =>
        new(ImageProblem.TooLarge, $"The stored image is larger than {MaxImageBytes:N0} bytes, the most accepted.");

    /// <summary>The name and id stored with an object, without downloading it.</summary>
    public async Task<FaceImageMetadata?> GetMetadataAsync(FaceImageKey key, CancellationToken cancellationToken) =>
        await HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } head
            ? ReadMetadata(key, head.Metadata, head.Headers.ContentType)
            : null;

    /// <summary>
    /// True when FaceLogin wrote the object itself (<see cref="SourceMetadata"/>), false for anybody else's upload or a
    /// missing object. Only a HEAD: the S3 function asks this before anything else. Forging the mark gains nothing: the
    /// function then skips the forger's own upload.
    /// </summary>
    public async Task<bool> IsWrittenByFaceLoginAsync(FaceImageKey key, CancellationToken cancellationToken) =>
        await HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } head
        && string.Equals(head.Metadata[SourceMetadata], WrittenByFaceLogin, StringComparison.Ordinal);

    private async Task<GetObjectMetadataResponse?> HeadAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (IsMissing(ex))
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        // S3 answers 204 whether or not the key existed, so ask first: the port reports whether something was deleted.
        if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await s3.DeleteObjectAsync(_options.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Lists <c>{Prefix}{personId:N}/</c> and deletes every object under it, whatever its name, a page at a time: a listing
    /// page holds at most 1000 keys, which is also the most one DeleteObjects call takes. Each round lists from the start
    /// again, because the deleted keys have left the listing.
    /// </summary>
    public async Task<int> DeletePersonImagesAsync(Guid personId, CancellationToken cancellationToken)
    {
        var prefix = $"{_options.NormalizedPrefix}{personId:N}/";
        var deleted = 0;
        while (true)
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix, MaxKeys = MaxKeysPerDelete }, cancellationToken)
                .ConfigureAwait(false);
            if (page.S3Objects is not { Count: > 0 } objects)
            {
                return deleted;
            }

            var request = new DeleteObjectsRequest
            {
                BucketName = _options.Bucket,
                Objects = objects.Select(o => new KeyVersion { Key = o.Key }).ToList(),
                Quiet = true,
            };
            var response = await s3.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                // Left in place, the person would be deleted with photos of theirs still stored; failing keeps them listed,
                // and deleting again finishes the job. The error codes only: keys are ids, but say nothing useful here.
                throw new InvalidOperationException(
                    $"S3 refused to delete {errors.Count} of the person's objects ({string.Join(", ", errors.Select(e => e.Code).Distinct())}).");
            }

            deleted += objects.Count;
        }
    }

    /// <summary>Lists <c>{Prefix}</c> a page (1000 keys) at a time; objects whose names are not image keys are not ours to judge.</summary>
    public async IAsyncEnumerable<StoredImageEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = _options.NormalizedPrefix;
        string? continuation = null;
        do
        {
            var page = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix, ContinuationToken = continuation }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (FaceImageKey.TryParse(item.Key[prefix.Length..], out var key))
                {
                    // No time given reads as just written: a reconciliation then waits for it rather than taking a pending upload.
                    yield return new StoredImageEntry(key, item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UtcNow);
                }
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// The metadata as stored, for registration to judge. An object uploaded without <c>fullname</c> gets an empty name,
    /// which registration refuses with a clear message. The person id is the <c>personid</c> metadata when there is one
    /// (<see cref="Guid.Empty"/> when it is not a UUID), so that registration can refuse an object whose metadata names
    /// somebody other than its key; an object without it (the seed's uploads carry only <c>fullname</c>) is the key's.
    /// </summary>
    private static FaceImageMetadata ReadMetadata(FaceImageKey key, MetadataCollection metadata, string? contentType)
    {
        var storedPersonId = metadata[PersonIdMetadata];
        var personId = string.IsNullOrEmpty(storedPersonId) ? key.PersonId
            : Guid.TryParse(storedPersonId, out var parsed) ? parsed
            : Guid.Empty;
        return new(S3MetadataText.Decode(metadata[FullNameMetadata]), personId, string.IsNullOrEmpty(contentType) ? "image/jpeg" : contentType);
    }

    /// <summary>A missing key, not a missing bucket: that is a configuration error and must not read as "no image".</summary>
    private static bool IsMissing(AmazonS3Exception ex) =>
        ex.ErrorCode != "NoSuchBucket" && (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NotFound");
}
