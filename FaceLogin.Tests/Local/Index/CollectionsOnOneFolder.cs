using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// Local face collections on one temporary data folder, each opened as an app instance opens it (its own index, its own SQLite
/// connections). Everything opened is disposed with the folder.
/// </summary>
internal sealed class CollectionsOnOneFolder : IDisposable
{
    private readonly List<LocalFaceCollection> _opened = [];

    public TemporaryDataFolder Folder { get; } = new();

    public LocalFaceCollection Open(IFaceAnalyzer analyzer, SimilarityScale scale, LocalCollectionOptions options)
    {
        var collection = new LocalFaceCollection(
            analyzer,
            scale,
            Options.Create(options),
            Options.Create(new FaceLoginOptions { DataPath = Folder.Path }),
            TimeProvider.System,
            NullLogger<LocalFaceCollection>.Instance);
        _opened.Add(collection);
        return collection;
    }

    /// <summary>As the app stopping: its index and connections go.</summary>
    public void Close(LocalFaceCollection collection)
    {
        collection.Dispose();
        _opened.Remove(collection);
    }

    public void Dispose()
    {
        _opened.ForEach(c => c.Dispose());
        Folder.Dispose();
    }
}
