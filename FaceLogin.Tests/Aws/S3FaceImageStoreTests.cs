using System.Reflection;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using FaceLogin.Tests.Support.Contracts;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Aws;

/// <summary>The image-store contract against s3rver, plus what is particular to S3: keys, raw metadata, encryption.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3FaceImageStoreTests(S3rverFixture s3rver) : FaceImageStoreContract, IDisposable
{
    private readonly IAmazonS3 _client = s3rver.CreateClient();

    private static IOptions<LocalEngineOptions> Limit(long maxBytes = 5L * 1024 * 1024) =>
        Options.Create(new LocalEngineOptions { Decoder = new ImageDecoderOptions { MaxBytes = maxBytes } });

    private async Task<(S3FaceImageStore Store, string Bucket)> CreateS3StoreAsync(string prefix = "faces/", long maxBytes = 5L * 1024 * 1024)
    {
        var bucket = await s3rver.CreateBucketAsync(Ct);
        var options = Options.Create(new AwsOptions { Bucket = bucket, Prefix = prefix, S3ServiceUrl = s3rver.ServiceUrl });
        return (new S3FaceImageStore(_client, options, Limit(maxBytes)), bucket);
    }

    protected override async Task<IFaceImageStore> CreateStoreAsync() => (await CreateS3StoreAsync()).Store;

    [Fact]
    public async Task Objects_live_under_the_prefix_with_the_seeds_metadata()
    {
        var (store, bucket) = await CreateS3StoreAsync("uploads/faces");
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        var image = RandomNumberGenerator.GetBytes(20_000);

        await store.PutAsync(key, image, new FaceImageMetadata("Ann Smith", person, "image/jpeg"), Ct);

        using var head = await _client.GetObjectAsync(bucket, "uploads/faces/" + key.Value, Ct);
        Assert.Equal(20_000, head.ContentLength);
        Assert.Equal("image/jpeg", head.Headers.ContentType);
        // Plain ASCII names stay readable, as the seed's upload script wrote them.
        Assert.Equal("Ann Smith", head.Metadata["fullname"]);
        Assert.Equal(person.ToString("D"), head.Metadata["personid"]);
    }

    [Fact]
    public async Task Non_ascii_names_are_stored_as_rfc2047_encoded_words()
    {
        var (store, bucket) = await CreateS3StoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);

        await store.PutAsync(key, new byte[] { 1, 2, 3 }, new FaceImageMetadata("Zoë Ångström", person, "image/jpeg"), Ct);

        var head = await _client.GetObjectMetadataAsync(bucket, "faces/" + key.Value, Ct);
        Assert.Equal("=?UTF-8?B?Wm/DqyDDhW5nc3Ryw7Zt?=", head.Metadata["fullname"]);
    }

    [Fact]
    public async Task Metadata_alone_can_be_read_without_the_image()
    {
        var (store, _) = await CreateS3StoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        await store.PutAsync(key, new byte[] { 9, 9, 9 }, new FaceImageMetadata("Łukasz Nowak", person, "image/png"), Ct);

        Assert.Equal(new FaceImageMetadata("Łukasz Nowak", person, "image/png"), await store.GetMetadataAsync(key, Ct));
        Assert.Null(await store.GetMetadataAsync(FaceImageKey.New(person), Ct));
    }

    [Fact]
    public async Task Writing_to_a_missing_bucket_fails_loudly()
    {
        var options = Options.Create(new AwsOptions { Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], S3ServiceUrl = s3rver.ServiceUrl });
        var store = new S3FaceImageStore(_client, options, Limit());
        var person = Guid.NewGuid();

        await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            store.PutAsync(FaceImageKey.New(person), new byte[] { 1 }, new FaceImageMetadata("Ann", person, "image/jpeg"), Ct));
    }

    [Fact]
    public async Task Reading_from_a_missing_bucket_is_an_error_not_a_missing_image()
    {
        s3rver.RequireRunning();
        var options = Options.Create(new AwsOptions { Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], S3ServiceUrl = s3rver.ServiceUrl });
        var store = new S3FaceImageStore(_client, options, Limit());

        await Assert.ThrowsAsync<AmazonS3Exception>(() => store.GetAsync(FaceImageKey.New(Guid.NewGuid()), Ct));
    }

    [Fact]
    public async Task The_default_limit_is_the_decoders()
    {
        var (store, _) = await CreateS3StoreAsync();
        var defaults = new S3FaceImageStore(_client, Options.Create(new AwsOptions()), Options.Create(new LocalEngineOptions()));

        Assert.Equal(new ImageDecoderOptions().MaxBytes, defaults.MaxImageBytes);
        Assert.Equal(5L * 1024 * 1024, store.MaxImageBytes);
    }

    /// <summary>Review S3: an object up to the decoder's limit reads back; one byte more is refused as TooLarge.</summary>
    [Fact]
    public async Task Objects_above_the_decoders_byte_limit_are_refused_as_too_large()
    {
        var (store, bucket) = await CreateS3StoreAsync(maxBytes: 10_000);
        var person = Guid.NewGuid();
        var atLimit = FaceImageKey.New(person);
        var overLimit = FaceImageKey.New(person);
        await S3UploadEvents.UploadAsSeedAsync(_client, bucket, "faces/" + atLimit.Value, RandomNumberGenerator.GetBytes(10_000), "Ann Smith", Ct);
        await S3UploadEvents.UploadAsSeedAsync(_client, bucket, "faces/" + overLimit.Value, RandomNumberGenerator.GetBytes(10_001), "Ann Smith", Ct);

        Assert.Equal(10_000, (await store.GetAsync(atLimit, Ct))?.Bytes.Length);
        var refused = await Assert.ThrowsAsync<FaceImageRejectedException>(() => store.GetAsync(overLimit, Ct));
        Assert.Equal(ImageProblem.TooLarge, refused.Problem);
    }

    /// <summary>A 3 GB Content-Length (which overflowed an int before) is refused without reading a byte of the body.</summary>
    [Fact]
    public async Task A_huge_object_is_refused_from_its_content_length_unread()
    {
        var body = new UnreadableStream();
        var store = StoreAnswering(new GetObjectResponse { ContentLength = 3L * 1024 * 1024 * 1024, ResponseStream = body });

        var refused = await Assert.ThrowsAsync<FaceImageRejectedException>(() => store.GetAsync(FaceImageKey.New(Guid.NewGuid()), Ct));

        Assert.Equal(ImageProblem.TooLarge, refused.Problem);
        Assert.Equal(0, body.Reads);
    }

    /// <summary>A body longer than its Content-Length said is cut off at the limit, not buffered whole.</summary>
    [Fact]
    public async Task A_body_longer_than_declared_is_read_only_up_to_the_limit()
    {
        var body = new CountingStream(length: 50L * 1024 * 1024);
        var store = StoreAnswering(new GetObjectResponse { ContentLength = 100, ResponseStream = body }, maxBytes: 100_000);

        var refused = await Assert.ThrowsAsync<FaceImageRejectedException>(() => store.GetAsync(FaceImageKey.New(Guid.NewGuid()), Ct));

        Assert.Equal(ImageProblem.TooLarge, refused.Problem);
        Assert.InRange(body.BytesRead, 100_001, 100_000 + 81_920);
    }

    /// <summary>Review S4: a malformed encoded-word in untrusted metadata is read as it is, not thrown.</summary>
    [Fact]
    public async Task Malformed_name_metadata_reads_back_as_it_is()
    {
        var (store, bucket) = await CreateS3StoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        var request = new PutObjectRequest { BucketName = bucket, Key = "faces/" + key.Value, InputStream = new MemoryStream([1, 2, 3]), UseChunkEncoding = false };
        request.Metadata.Add("fullname", "=?UTF-8?Q?=-1?=");
        await _client.PutObjectAsync(request, Ct);

        Assert.Equal("=?UTF-8?Q?=-1?=", (await store.GetAsync(key, Ct))?.Metadata.FullName);
        Assert.Equal("=?UTF-8?Q?=-1?=", (await store.GetMetadataAsync(key, Ct))?.FullName);
    }

    /// <summary>
    /// The metadata's person id is reported as stored, so registration can refuse an object whose metadata names somebody
    /// else; the seed's uploads carry no <c>personid</c> and are the key's.
    /// </summary>
    [Theory]
    [InlineData(null, "key")]
    [InlineData("5d0b7c8e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", "5d0b7c8e-1f2a-4b3c-9d4e-5f6a7b8c9d0e")]
    [InlineData("not a uuid", "00000000-0000-0000-0000-000000000000")]
    public async Task The_person_id_in_the_metadata_is_read_as_stored(string? storedPersonId, string expected)
    {
        var (store, bucket) = await CreateS3StoreAsync();
        var key = FaceImageKey.New(Guid.NewGuid());
        var request = new PutObjectRequest { BucketName = bucket, Key = "faces/" + key.Value, InputStream = new MemoryStream([1, 2, 3]), UseChunkEncoding = false };
        request.Metadata.Add("fullname", "Ann Smith");
        if (storedPersonId is not null)
        {
            request.Metadata.Add("personid", storedPersonId);
        }

        await _client.PutObjectAsync(request, Ct);

        var expectedId = expected == "key" ? key.PersonId : Guid.Parse(expected);
        Assert.Equal(expectedId, (await store.GetAsync(key, Ct))?.Metadata.PersonId);
        Assert.Equal(expectedId, (await store.GetMetadataAsync(key, Ct))?.PersonId);
    }

    /// <summary>Review S6.2: what the store writes carries <c>source: facelogin</c>, which the S3 function skips; uploads by others do not.</summary>
    [Fact]
    public async Task Objects_the_store_writes_are_marked_as_written_by_FaceLogin()
    {
        var (store, bucket) = await CreateS3StoreAsync();
        var person = Guid.NewGuid();
        var ours = FaceImageKey.New(person);
        var theirs = FaceImageKey.New(person);
        await store.PutAsync(ours, new byte[] { 1 }, new FaceImageMetadata("Ann Smith", person, "image/jpeg"), Ct);
        await S3UploadEvents.UploadAsSeedAsync(_client, bucket, "faces/" + theirs.Value, [1], "Ann Smith", Ct);

        Assert.Equal("facelogin", (await _client.GetObjectMetadataAsync(bucket, "faces/" + ours.Value, Ct)).Metadata["source"]);
        Assert.True(await store.IsWrittenByFaceLoginAsync(ours, Ct));
        Assert.False(await store.IsWrittenByFaceLoginAsync(theirs, Ct));
        Assert.False(await store.IsWrittenByFaceLoginAsync(FaceImageKey.New(person), Ct));
    }

    /// <summary>
    /// Review-4 S1: every object under <c>{Prefix}{personId}/</c> goes, whatever its name (an upload nothing registered), in
    /// batches of at most 1000 keys; objects of other people and outside the prefix stay.
    /// </summary>
    [Fact]
    public async Task Deleting_a_persons_images_removes_every_object_under_their_prefix_in_batches()
    {
        var (store, bucket) = await CreateS3StoreAsync();
        var ann = Guid.NewGuid();
        var bo = FaceImageKey.New(Guid.NewGuid());
        var annKeys = Enumerable.Range(0, 1003).Select(_ => $"faces/{ann:N}/{Guid.NewGuid():N}.jpg").Append($"faces/{ann:N}/not-a-key.bin").ToList();
        await Parallel.ForEachAsync(annKeys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (key, ct) =>
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x", UseChunkEncoding = false }, ct));
        await store.PutAsync(bo, new byte[] { 1 }, new FaceImageMetadata("Bo Chen", bo.PersonId, "image/jpeg"), Ct);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"elsewhere/{ann:N}/x.jpg", ContentBody = "x", UseChunkEncoding = false }, Ct);

        Assert.Equal(annKeys.Count, await store.DeletePersonImagesAsync(ann, Ct));

        var left = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(["elsewhere/" + ann.ToString("N") + "/x.jpg", "faces/" + bo.Value], (left.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>An S3 client whose GetObject answers <paramref name="response"/>; any other call fails the test.</summary>
    private static S3FaceImageStore StoreAnswering(GetObjectResponse response, long maxBytes = 5L * 1024 * 1024)
    {
        var client = DispatchProxy.Create<IAmazonS3, GetObjectOnly>();
        ((GetObjectOnly)(object)client).Response = response;
        return new S3FaceImageStore(client, Options.Create(new AwsOptions { Bucket = "bucket" }), Limit(maxBytes));
    }

    public class GetObjectOnly : DispatchProxy
    {
        public GetObjectResponse Response { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IAmazonS3.GetObjectAsync) && targetMethod.ReturnType == typeof(Task<GetObjectResponse>)
                ? Task.FromResult(Response)
                : throw new InvalidOperationException($"Unexpected S3 call {targetMethod?.Name}.");
    }

    private sealed class UnreadableStream : Stream
    {
        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException($"Read call {++Reads}: the body must not be read.");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException($"Read call {++Reads}: the body must not be read.");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Zeros up to <paramref name="length"/>, counting what was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Clear(buffer, offset, n);
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = (int)Math.Min(buffer.Length, length - BytesRead);
            buffer.Span[..n].Clear();
            BytesRead += n;
            return ValueTask.FromResult(n);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public void Dispose() => _client.Dispose();
}
