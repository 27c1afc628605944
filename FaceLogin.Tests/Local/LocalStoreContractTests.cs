using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceLogin.Tests.Local;

/// <summary>The image-store contract on real files in a temporary folder.</summary>
public sealed class FileSystemFaceImageStoreContractTests : FaceImageStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("facelogin-images-");

    protected override Task<IFaceImageStore> CreateStoreAsync() =>
        Task.FromResult<IFaceImageStore>(new FileSystemFaceImageStore(Path.Combine(_root.FullName, Guid.NewGuid().ToString("N")), TimeProvider.System));

    /// <summary>The person's folder goes whole, with files no record points to (a temporary file left by a crash).</summary>
    [Fact]
    public async Task Deleting_a_persons_images_removes_their_folder_with_everything_in_it()
    {
        var store = (FileSystemFaceImageStore)await CreateStoreAsync();
        var ann = Guid.NewGuid();
        var key = FaceImageKey.New(ann);
        await store.PutAsync(key, new byte[] { 1, 2, 3 }, new FaceImageMetadata("Ann Smith", ann, "image/jpeg"), Ct);
        var folder = Path.Combine(store.Root, ann.ToString("N"));
        await File.WriteAllBytesAsync(Path.Combine(folder, $".{Guid.NewGuid():N}.jpg.{Guid.NewGuid():N}.tmp"), [4, 5, 6], Ct);

        Assert.Equal(1, await store.DeletePersonImagesAsync(ann, Ct));

        Assert.False(Directory.Exists(folder));
        Assert.True(Directory.Exists(store.Root));
    }

    public void Dispose() => _root.Delete(recursive: true);
}

/// <summary>The directory contract on a real SQLite file in a temporary folder.</summary>
public sealed class SqliteFaceDirectoryContractTests : FaceDirectoryContract, IDisposable
{
    private readonly TempSqliteDirectories _files = new();

    protected override Task<IFaceDirectory> CreateDirectoryAsync() => _files.CreateAsync(Ct);

    protected override Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory) => _files.OpenAgainAsync(directory, Ct);

    public void Dispose() => _files.Dispose();
}

/// <summary>The collection-generations contract on a real SQLite file in a temporary folder.</summary>
public sealed class SqliteCollectionGenerationsContractTests : CollectionGenerationsContract, IDisposable
{
    private readonly TempSqliteDirectories _files = new();

    protected override Task<IFaceDirectory> CreateDirectoryAsync() => _files.CreateAsync(Ct);

    protected override Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory) => _files.OpenAgainAsync(directory, Ct);

    public void Dispose() => _files.Dispose();
}

/// <summary>SQLite directories in files of a temporary folder, each initialised, all closed and deleted at the end.</summary>
internal sealed class TempSqliteDirectories : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("facelogin-sqlite-");
    private readonly List<SqliteFaceDirectory> _directories = [];

    public Task<IFaceDirectory> CreateAsync(CancellationToken cancellationToken) =>
        OpenAsync(Path.Combine(_root.FullName, Guid.NewGuid().ToString("N") + ".db"), cancellationToken);

    public Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory, CancellationToken cancellationToken) =>
        OpenAsync(((SqliteFaceDirectory)directory).DatabasePath, cancellationToken);

    private async Task<IFaceDirectory> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var directory = new SqliteFaceDirectory(path, new SqliteDirectoryOptions(), TimeProvider.System, NullLogger<SqliteFaceDirectory>.Instance);
        _directories.Add(directory);
        await directory.InitializeAsync(cancellationToken);
        return directory;
    }

    public void Dispose()
    {
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }

        _root.Delete(recursive: true);
    }
}
