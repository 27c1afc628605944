using System.Security.Cryptography;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Tests.Support.Contracts;

/// <summary>
/// What every <see cref="IFaceImageStore"/> does, whatever it stores into. One derived class per implementation
/// supplies a fresh, empty store; the tests here are the single definition of the port's behaviour.
/// </summary>
public abstract class FaceImageStoreContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store with nothing in it, isolated from other tests.</summary>
    protected abstract Task<IFaceImageStore> CreateStoreAsync();

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }

    [Fact]
    public async Task Bytes_and_metadata_read_back_exactly_as_written()
    {
        var store = await CreateStoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        // Not a multiple of any chunk size, so framing or truncation would show.
        var image = RandomBytes(20_000);

        await store.PutAsync(key, image, new FaceImageMetadata("Ann Smith", person, "image/jpeg"), Ct);
        var stored = await store.GetAsync(key, Ct);

        Assert.NotNull(stored);
        Assert.Equal(image.Length, stored.Bytes.Length);
        Assert.Equal(image, stored.Bytes);
        Assert.Equal(new FaceImageMetadata("Ann Smith", person, "image/jpeg"), stored.Metadata);
    }

    [Fact]
    public async Task A_larger_image_reads_back_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        var image = RandomBytes(1_234_567);

        await store.PutAsync(key, image, new FaceImageMetadata("Bo Chen", person, "image/png"), Ct);
        var stored = await store.GetAsync(key, Ct);

        Assert.NotNull(stored);
        Assert.Equal(SHA256.HashData(image), SHA256.HashData(stored.Bytes));
        Assert.Equal("image/png", stored.Metadata.ContentType);
    }

    [Theory]
    [InlineData("Zoë Ångström")]
    [InlineData("Łukasz Żółć-Nguyễn")]
    [InlineData("王小明")]
    [InlineData("=?UTF-8?B?not really?=")]
    [InlineData("O'Brien, Seán")]
    public async Task Names_that_are_not_plain_ascii_survive_the_round_trip(string fullName)
    {
        var store = await CreateStoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);

        await store.PutAsync(key, RandomBytes(100), new FaceImageMetadata(fullName, person, "image/jpeg"), Ct);

        Assert.Equal(fullName, (await store.GetAsync(key, Ct))?.Metadata.FullName);
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(FaceImageKey.New(Guid.NewGuid()), Ct));
    }

    [Fact]
    public async Task Writing_the_same_key_again_replaces_the_image()
    {
        var store = await CreateStoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        var second = RandomBytes(3_000);

        await store.PutAsync(key, RandomBytes(5_000), new FaceImageMetadata("First Name", person, "image/jpeg"), Ct);
        await store.PutAsync(key, second, new FaceImageMetadata("Second Name", person, "image/jpeg"), Ct);
        var stored = await store.GetAsync(key, Ct);

        Assert.NotNull(stored);
        Assert.Equal(second, stored.Bytes);
        Assert.Equal("Second Name", stored.Metadata.FullName);
    }

    [Fact]
    public async Task Delete_removes_the_image_and_reports_whether_there_was_one()
    {
        var store = await CreateStoreAsync();
        var person = Guid.NewGuid();
        var key = FaceImageKey.New(person);
        var other = FaceImageKey.New(person);
        await store.PutAsync(key, RandomBytes(1_000), new FaceImageMetadata("Cy Dee", person, "image/jpeg"), Ct);
        await store.PutAsync(other, RandomBytes(1_000), new FaceImageMetadata("Cy Dee", person, "image/jpeg"), Ct);

        Assert.True(await store.DeleteAsync(key, Ct));
        Assert.Null(await store.GetAsync(key, Ct));
        Assert.False(await store.DeleteAsync(key, Ct));
        Assert.NotNull(await store.GetAsync(other, Ct));
    }

    [Fact]
    public async Task Images_of_different_people_are_kept_apart()
    {
        var store = await CreateStoreAsync();
        var ann = Guid.NewGuid();
        var bo = Guid.NewGuid();
        var imageId = Guid.NewGuid();
        var annImage = RandomBytes(500);
        var boImage = RandomBytes(600);

        await store.PutAsync(FaceImageKey.For(ann, imageId), annImage, new FaceImageMetadata("Ann", ann, "image/jpeg"), Ct);
        await store.PutAsync(FaceImageKey.For(bo, imageId), boImage, new FaceImageMetadata("Bo", bo, "image/jpeg"), Ct);

        Assert.Equal(annImage, (await store.GetAsync(FaceImageKey.For(ann, imageId), Ct))?.Bytes);
        Assert.Equal(boImage, (await store.GetAsync(FaceImageKey.For(bo, imageId), Ct))?.Bytes);
        Assert.Equal(bo, (await store.GetAsync(FaceImageKey.For(bo, imageId), Ct))?.Metadata.PersonId);
    }

    /// <summary>Review-4 S1: deleting a person removes every image stored under their id, and nobody else's.</summary>
    [Fact]
    public async Task Deleting_a_persons_images_removes_all_of_them_and_nobody_elses()
    {
        var store = await CreateStoreAsync();
        var ann = Guid.NewGuid();
        var bo = Guid.NewGuid();
        FaceImageKey[] annKeys = [FaceImageKey.New(ann), FaceImageKey.New(ann), FaceImageKey.New(ann)];
        foreach (var key in annKeys)
        {
            await store.PutAsync(key, RandomBytes(100), new FaceImageMetadata("Ann Smith", ann, "image/jpeg"), Ct);
        }

        var boKey = FaceImageKey.New(bo);
        await store.PutAsync(boKey, RandomBytes(100), new FaceImageMetadata("Bo Chen", bo, "image/jpeg"), Ct);

        Assert.Equal(3, await store.DeletePersonImagesAsync(ann, Ct));

        foreach (var key in annKeys)
        {
            Assert.Null(await store.GetAsync(key, Ct));
        }

        Assert.NotNull(await store.GetAsync(boKey, Ct));
        Assert.Equal(0, await store.DeletePersonImagesAsync(ann, Ct));
        Assert.Equal(0, await store.DeletePersonImagesAsync(Guid.NewGuid(), Ct));

        // The person's place can be used again (a re-import after the deletion).
        await store.PutAsync(annKeys[0], RandomBytes(10), new FaceImageMetadata("Ann Smith", ann, "image/jpeg"), Ct);
        Assert.NotNull(await store.GetAsync(annKeys[0], Ct));
    }
}
