using System.Runtime.CompilerServices;
using System.Text.Json;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// Face images as files: <c>{root}/{personId:N}/{imageId:N}.jpg</c> with the metadata in a JSON sidecar
/// <c>{imageId:N}.json</c> beside it. Paths are made from the key's two GUIDs formatted as hex, never from any string a user
/// typed, so no input can reach outside the root.
/// </summary>
/// <remarks>
/// <para>
/// Every file is written whole or not at all: into a temporary file in the same folder (same file system, so the rename is
/// atomic), flushed to disk, then moved over the final name. A crash leaves at worst a temporary file, never a torn image;
/// temporary files older than <see cref="StaleTempFileAge"/> are swept when the store is first used.
/// </para>
/// <para>
/// The sidecar is written before the image and deleted after it, so an image on disk always has its metadata; a sidecar
/// without an image (a crash between the two) reads as "no image" and is removed by the next delete or put of that key.
/// </para>
/// </remarks>
public sealed class FileSystemFaceImageStore(string root, TimeProvider time) : IFaceImageStore
{
    /// <summary>Old enough that no writer in any process can still be busy with it.</summary>
    public static readonly TimeSpan StaleTempFileAge = TimeSpan.FromHours(1);

    private const string ImageExtension = ".jpg";
    private const string MetadataExtension = ".json";
    private const string TempExtension = ".tmp";

    private static readonly JsonSerializerOptions SidecarJson = new() { WriteIndented = true };

    private readonly string _root = Path.GetFullPath(root);
    private int _swept;

    public string Root => _root;

    public async Task PutAsync(FaceImageKey key, ReadOnlyMemory<byte> image, FaceImageMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.PersonId != key.PersonId)
        {
            throw new ArgumentException("The metadata's person id differs from the key's.", nameof(metadata));
        }

        SweepStaleTempFilesOnce();
        var sidecar = JsonSerializer.SerializeToUtf8Bytes(new Sidecar(metadata.FullName, metadata.PersonId, metadata.ContentType, image.Length), SidecarJson);
        await WriteAtomicallyAsync(MetadataPath(key), sidecar, cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAtomicallyAsync(ImagePath(key), image, cancellationToken).ConfigureAwait(false);
        }
        catch when (!File.Exists(ImagePath(key)))
        {
            // A new key whose image could not be written: its sidecar goes too, so nothing of the attempt stays.
            File.Delete(MetadataPath(key));
            throw;
        }
    }

    public async Task<StoredFaceImage?> GetAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        byte[] bytes;
        byte[] sidecarBytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(ImagePath(key), cancellationToken).ConfigureAwait(false);
            sidecarBytes = await File.ReadAllBytesAsync(MetadataPath(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // A delete may run between the two reads; either file missing means the image is gone.
            return null;
        }

        var sidecar = JsonSerializer.Deserialize<Sidecar>(sidecarBytes, SidecarJson)
            ?? throw new InvalidDataException($"The metadata of image {key} is empty.");
        // The person id as recorded, not the key's: registration refuses an image whose metadata names someone else.
        return new StoredFaceImage(bytes, new FaceImageMetadata(sidecar.FullName, sidecar.PersonId, sidecar.ContentType));
    }

    public Task<bool> DeleteAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SweepStaleTempFilesOnce();
        var imagePath = ImagePath(key);
        var folder = Path.GetDirectoryName(imagePath)!;
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(false);
        }

        var existed = File.Exists(imagePath);
        File.Delete(imagePath);
        File.Delete(MetadataPath(key));
        RemoveFolderIfEmpty(folder);
        return Task.FromResult(existed);
    }

    /// <summary>Deletes the person's folder with everything in it, images no record points to and temporary files included.</summary>
    public Task<int> DeletePersonImagesAsync(Guid personId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var folder = PersonFolder(personId);
        try
        {
            var images = Directory.EnumerateFiles(folder, "*" + ImageExtension).Count();
            Directory.Delete(folder, recursive: true);
            return Task.FromResult(images);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(0);
        }
    }

    /// <summary>
    /// Walks <c>{root}/{personId:N}/</c>: every image, and every sidecar without its image (a crash inside <see cref="PutAsync"/>),
    /// written at the newer of the two files' times. Temporary files are the sweep's, and names that are not keys are skipped.
    /// </summary>
    public async IAsyncEnumerable<StoredImageEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Guid.TryParseExact(Path.GetFileName(folder), "N", out var personId) || personId == Guid.Empty)
            {
                continue;
            }

            var written = new Dictionary<Guid, DateTime>();
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var extension = Path.GetExtension(file);
                if ((extension == ImageExtension || extension == MetadataExtension)
                    && Guid.TryParseExact(Path.GetFileNameWithoutExtension(file), "N", out var imageId) && imageId != Guid.Empty)
                {
                    var at = File.GetLastWriteTimeUtc(file);
                    written[imageId] = written.TryGetValue(imageId, out var other) && other > at ? other : at;
                }
            }

            foreach (var (imageId, at) in written)
            {
                yield return new StoredImageEntry(FaceImageKey.For(personId, imageId), new DateTimeOffset(at, TimeSpan.Zero));
            }

            await Task.Yield();
        }
    }

    private string PersonFolder(Guid personId) => Path.Combine(_root, personId.ToString("N"));

    private string ImagePath(FaceImageKey key) => Path.Combine(PersonFolder(key.PersonId), key.ImageId.ToString("N") + ImageExtension);

    private string MetadataPath(FaceImageKey key) => Path.Combine(PersonFolder(key.PersonId), key.ImageId.ToString("N") + MetadataExtension);

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        // Random name: two writers of the same key never share a temporary file; the last rename wins whole.
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempExtension}");
        try
        {
            // A concurrent delete of the person's last image may remove the folder between creating it and opening the file.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
                    await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                    break;
                }
                catch (DirectoryNotFoundException) when (attempt < 3)
                {
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void RemoveFolderIfEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // A put into the same folder got there first: the folder is in use again, which is fine.
        }
    }

    /// <summary>Temporary files hold face images too: ones left by a crash are removed, once per store instance.</summary>
    private void SweepStaleTempFilesOnce()
    {
        if (Interlocked.Exchange(ref _swept, 1) == 1 || !Directory.Exists(_root))
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - StaleTempFileAge;
        foreach (var temp in Directory.EnumerateFiles(_root, "*" + TempExtension, SearchOption.AllDirectories))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(temp) < cutoff)
                {
                    File.Delete(temp);
                }
            }
            catch (IOException)
            {
                // Gone already or in use: a later sweep tries again.
            }
        }
    }

    private sealed record Sidecar(string FullName, Guid PersonId, string ContentType, int Length);
}
