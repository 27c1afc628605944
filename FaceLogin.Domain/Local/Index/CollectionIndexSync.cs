namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// Keeps one process's in-memory <see cref="FaceVectorIndex"/> equal to the collection's SQLite file, whoever writes the file:
/// this process, the <c>import</c> verb while the app runs, a second app instance on the same data folder, an admin tool.
/// A face deleted anywhere must stop matching everywhere; a face added anywhere must be found (and refused as a duplicate).
/// </summary>
/// <remarks>
/// <para>
/// Every write leaves its position in the file in the same transaction: a new face row takes the next <c>faces.seq</c>, a
/// deletion adds a <c>deleted_faces</c> row. The index remembers the last of each it applied (<see cref="ChangeCursor"/>).
/// </para>
/// <para>
/// <see cref="CatchUpAsync"/> runs before every search. Its steady state is one <c>PRAGMA data_version</c> on a connection kept
/// open for that alone (a few microseconds; docs/performance.md): the number changes only when another connection committed.
/// Then it applies the deletions and additions since the cursor (<see cref="FaceCollectionDatabase.ApplyChangesAsync"/>).
/// </para>
/// <para>
/// Concurrency: catch-ups run one at a time (a gate); searches run on the index under its read lock and each change takes its
/// write lock, so a search racing a catch-up sees the index before or after each change, never a torn one. The data version is
/// read before the changes, so a commit landing during a catch-up changes it again and the next call looks once more: nothing
/// committed before a search's catch-up began is missed by that search. A catch-up that fails (cancelled, a bad row) leaves
/// the version unrecorded, so the next call retries from where the cursor stopped.
/// </para>
/// </remarks>
public sealed class CollectionIndexSync : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FaceCollectionDatabase _database;
    private readonly string _collectionId;
    private readonly string _modelVersion;
    private readonly FaceCollectionWatch _watch;
    private readonly ChangeCursor _cursor;
    private long _seenDataVersion;

    private CollectionIndexSync(
        FaceCollectionDatabase database, string collectionId, string modelVersion, FaceVectorIndex index, FaceCollectionWatch watch, ChangeCursor cursor, long dataVersion)
    {
        _database = database;
        _collectionId = collectionId;
        _modelVersion = modelVersion;
        Index = index;
        _watch = watch;
        _cursor = cursor;
        _seenDataVersion = dataVersion;
    }

    public FaceVectorIndex Index { get; }

    /// <summary>
    /// Loads the collection's faces into <paramref name="index"/> (which it then owns) and starts watching the file.
    /// The caller has checked the stored model version (a new row of another model is refused by the catch-up).
    /// </summary>
    public static async Task<CollectionIndexSync> LoadAsync(
        FaceCollectionDatabase database, string collectionId, string modelVersion, FaceVectorIndex index, CancellationToken cancellationToken)
    {
        var watch = await database.WatchAsync(cancellationToken);
        try
        {
            // Before the load: whatever commits during it changes the version, and the first catch-up applies it.
            var dataVersion = watch.DataVersion();
            var cursor = await database.LoadEmbeddingsAsync(collectionId, index, cancellationToken);
            return new CollectionIndexSync(database, collectionId, modelVersion, index, watch, cursor, dataVersion);
        }
        catch
        {
            watch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Applies what was committed to the file since the last catch-up. <paramref name="force"/> skips the data-version shortcut:
    /// used right after this process's own writes, so that they are in the index when the write returns, whatever SQLite reports.
    /// </summary>
    public async Task<ChangesApplied> CatchUpAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var dataVersion = _watch.DataVersion();
            if (dataVersion == _seenDataVersion && !force)
            {
                return ChangesApplied.None;
            }

            var applied = await _database.ApplyChangesAsync(_collectionId, _modelVersion, Index, _cursor, cancellationToken);
            _seenDataVersion = dataVersion;
            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _watch.Dispose();
        _gate.Dispose();
        Index.Dispose();
    }
}
