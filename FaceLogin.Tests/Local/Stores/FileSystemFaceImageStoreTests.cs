using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Stores;

/// <summary>
/// What only the file-system store does: file layout, sidecars, temporary files, concurrency. What every image store does is
/// <see cref="Support.Contracts.FaceImageStoreContract"/> (run on this store by FileSystemFaceImageStoreContractTests).
/// </summary>
public sealed class FileSystemFaceImageStoreTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualTimeProvider time = new();
    private readonly FileSystemFaceImageStore store;

    public FileSystemFaceImageStoreTests()
    {
        store = new FileSystemFaceImageStore(folder.Combine("images"), time);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Files_are_laid_out_by_the_keys_ids_only_with_a_sidecar_and_no_temporary_files()
    {
        var key = FaceImageKey.New(Guid.NewGuid());

        await store.PutAsync(key, new byte[] { 1, 2, 3 }, new FaceImageMetadata("../../etc/passwd", key.PersonId, "image/png"), Cancellation);

        Assert.Equal([$"{key.PersonId:N}/{key.ImageId:N}.jpg", $"{key.PersonId:N}/{key.ImageId:N}.json"], folder.Files("images"));
        var sidecar = await File.ReadAllTextAsync(folder.Combine("images", key.PersonId.ToString("N"), key.ImageId.ToString("N") + ".json"), Cancellation);
        Assert.Contains("image/png", sidecar, StringComparison.Ordinal);
        Assert.Equal("image/png", (await store.GetAsync(key, Cancellation))!.Metadata.ContentType);
    }

    [Fact]
    public async Task Delete_removes_image_sidecar_and_the_emptied_folder_but_not_other_images()
    {
        var person = Guid.NewGuid();
        var first = FaceImageKey.New(person);
        var second = FaceImageKey.New(person);
        await store.PutAsync(first, new byte[] { 1 }, new FaceImageMetadata("A", person, "image/jpeg"), Cancellation);
        await store.PutAsync(second, new byte[] { 2 }, new FaceImageMetadata("A", person, "image/jpeg"), Cancellation);

        Assert.True(await store.DeleteAsync(first, Cancellation));
        Assert.Null(await store.GetAsync(first, Cancellation));
        Assert.NotNull(await store.GetAsync(second, Cancellation));
        Assert.Equal([$"{person:N}/{second.ImageId:N}.jpg", $"{person:N}/{second.ImageId:N}.json"], folder.Files("images"));

        Assert.True(await store.DeleteAsync(second, Cancellation));
        Assert.Empty(folder.Files("images"));
        Assert.False(Directory.Exists(folder.Combine("images", person.ToString("N"))));
    }

    [Fact]
    public async Task Metadata_for_another_person_than_the_key_is_refused()
    {
        var key = FaceImageKey.New(Guid.NewGuid());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.PutAsync(key, new byte[] { 1 }, new FaceImageMetadata("A", Guid.NewGuid(), "image/jpeg"), Cancellation));
        Assert.Empty(folder.Files("images"));
    }

    [Fact]
    public async Task A_cancelled_put_leaves_nothing()
    {
        var key = FaceImageKey.New(Guid.NewGuid());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.PutAsync(key, new byte[100_000], new FaceImageMetadata("A", key.PersonId, "image/jpeg"), new CancellationToken(canceled: true)));

        Assert.Null(await store.GetAsync(key, Cancellation));
        Assert.DoesNotContain(folder.Files("images"), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_leave_one_writer_s_image_whole_and_no_temporary_files()
    {
        var key = FaceImageKey.New(Guid.NewGuid());
        var versions = Enumerable.Range(1, 8).Select(i => Enumerable.Repeat((byte)i, 200_000 + i).ToArray()).ToArray();

        await Task.WhenAll(versions.Select(v => Task.Run(() =>
            store.PutAsync(key, v, new FaceImageMetadata($"Writer {v[0]}", key.PersonId, "image/jpeg"), Cancellation), Cancellation)));

        var stored = await store.GetAsync(key, Cancellation);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(stored!.Bytes));
        Assert.Equal(2, folder.Files("images").Length);
    }

    [Fact]
    public async Task Stale_temporary_files_from_a_crash_are_swept_and_fresh_ones_kept()
    {
        var person = Guid.NewGuid();
        var personFolder = Directory.CreateDirectory(folder.Combine("images", person.ToString("N"))).FullName;
        var stale = Path.Combine(personFolder, ".crashed.jpg.0123.tmp");
        var fresh = Path.Combine(personFolder, ".writing.jpg.4567.tmp");
        await File.WriteAllBytesAsync(stale, [1], Cancellation);
        await File.WriteAllBytesAsync(fresh, [2], Cancellation);
        File.SetLastWriteTimeUtc(stale, time.GetUtcNow().UtcDateTime - FileSystemFaceImageStore.StaleTempFileAge - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(fresh, time.GetUtcNow().UtcDateTime);

        var key = FaceImageKey.New(Guid.NewGuid());
        await store.PutAsync(key, new byte[] { 3 }, new FaceImageMetadata("A", key.PersonId, "image/jpeg"), Cancellation);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }
}
