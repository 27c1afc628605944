using System.Security.Cryptography;
using Amazon.S3;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.S3;
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

    private async Task<(S3FaceImageStore Store, string Bucket)> CreateS3StoreAsync(string prefix = "faces/")
    {
        var bucket = await s3rver.CreateBucketAsync(Ct);
        var options = Options.Create(new AwsOptions { Bucket = bucket, Prefix = prefix, S3ServiceUrl = s3rver.ServiceUrl });
        return (new S3FaceImageStore(_client, options), bucket);
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
        var store = new S3FaceImageStore(_client, options);
        var person = Guid.NewGuid();

        await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            store.PutAsync(FaceImageKey.New(person), new byte[] { 1 }, new FaceImageMetadata("Ann", person, "image/jpeg"), Ct));
    }

    [Fact]
    public async Task Reading_from_a_missing_bucket_is_an_error_not_a_missing_image()
    {
        s3rver.RequireRunning();
        var options = Options.Create(new AwsOptions { Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], S3ServiceUrl = s3rver.ServiceUrl });
        var store = new S3FaceImageStore(_client, options);

        await Assert.ThrowsAsync<AmazonS3Exception>(() => store.GetAsync(FaceImageKey.New(Guid.NewGuid()), Ct));
    }

    public void Dispose() => _client.Dispose();
}
