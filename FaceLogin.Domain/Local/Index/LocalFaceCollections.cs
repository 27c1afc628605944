using System.Collections.Concurrent;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// The local collections of one SQLite file by id (<see cref="IFaceCollectionFactory"/>): one <see cref="LocalFaceCollection"/>
/// per id for the process (each holds an index in memory), and whole-collection maintenance straight on the file, which
/// needs no model: a collection made by another model can still be emptied and deleted.
/// </summary>
public sealed class LocalFaceCollections(
    IFaceAnalyzer analyzer,
    SimilarityScale scale,
    IOptions<LocalCollectionOptions> options,
    IOptions<FaceLoginOptions> appOptions,
    TimeProvider time,
    ILogger<LocalFaceCollection> logger) : IFaceCollectionFactory, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<LocalFaceCollection>> _open = new(StringComparer.Ordinal);
    private readonly FaceCollectionDatabase _database = new(Path.Combine(appOptions.Value.ResolveDataPath(), options.Value.DatabaseFileName));

    public string BaseCollectionId => options.Value.CollectionId;

    public string? ConfiguredModelVersion => analyzer.ModelVersion;

    public IFaceCollection Open(string collectionId) => OpenLocal(collectionId);

    /// <summary>The collection as its concrete type (the configured one is also registered under it).</summary>
    public LocalFaceCollection OpenLocal(string collectionId) =>
        _open.GetOrAdd(collectionId, id => new Lazy<LocalFaceCollection>(() => new LocalFaceCollection(analyzer, scale, options, appOptions, time, logger, id))).Value;

    public async Task<CollectionDescription?> DescribeAsync(string collectionId, CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return await _database.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false) is { } stored
            ? new CollectionDescription(collectionId, await _database.CountFacesAsync(collectionId, cancellationToken).ConfigureAwait(false), stored.FaceModelVersion, stored.CreatedAt)
            : null;
    }

    /// <remarks>
    /// This process's open instance of the collection is closed and forgotten too: it keeps the collection's row, so it would go
    /// on describing the deleted collection, and could not index into one made again under the same id (the next
    /// <see cref="Open"/> starts from the file).
    /// </remarks>
    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await _database.DeleteCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        if (_open.TryRemove(collectionId, out var open) && open.IsValueCreated)
        {
            open.Value.Dispose();
        }

        return deleted;
    }

    public async Task<int> DeleteFacesByExternalImageIdAsync(string collectionId, string externalImageId, CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var ids = await _database.FindFaceIdsAsync(collectionId, externalImageId, cancellationToken).ConfigureAwait(false);
        return ids.Count == 0 ? 0 : (await _database.DeleteFacesAsync(collectionId, ids, cancellationToken).ConfigureAwait(false)).Count;
    }

    public void Dispose()
    {
        foreach (var collection in _open.Values.Where(c => c.IsValueCreated))
        {
            collection.Value.Dispose();
        }

        _database.ReleaseConnections();
    }
}
