using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Local.Index;

/// <param name="WriteSeconds">Bulk insert of every face in one transaction (not what sign-up does: it writes one face at a time).</param>
/// <param name="LoadSeconds">What start-up pays: <see cref="CollectionIndexSync.LoadAsync"/> into an empty index.</param>
/// <param name="UnchangedCheckMicrosecondsP50">What every search pays before it runs: <see cref="CollectionIndexSync.CatchUpAsync"/> when nothing changed.</param>
/// <param name="AddCatchUpMilliseconds">A catch-up after another connection indexed one face (median of 5).</param>
/// <param name="DeleteCatchUpMilliseconds">A catch-up after another connection deleted one face (median of 5).</param>
public sealed record CollectionLoadResult(
    int Faces,
    double WriteSeconds,
    double LoadSeconds,
    long FileBytes,
    double UnchangedCheckMicrosecondsP50,
    double UnchangedCheckMicrosecondsP99,
    double AddCatchUpMilliseconds,
    double DeleteCatchUpMilliseconds);

/// <summary>
/// Measures how long the local collection takes to load its SQLite file into the index at start-up: writes a synthetic
/// collection of random unit vectors to a file in <c>folder</c>, then times loading it; then what keeping that index in step
/// with the file costs a search (the check when nothing changed, and a catch-up after another writer's change). The file is
/// deleted afterwards.
/// </summary>
public sealed class CollectionLoadBenchmark
{
    private const string CollectionId = "load-benchmark";
    private const string ModelVersion = "synthetic";
    private const int UnchangedChecks = 10_000;
    private const int ChangedCatchUps = 5;

    public async Task<CollectionLoadResult> RunAsync(int dimension, int faces, string folder, ulong seed, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, $"load-benchmark-{Guid.NewGuid():N}.db");
        var database = new FaceCollectionDatabase(path);
        try
        {
            await database.MigrateAsync(cancellationToken);
            await database.CreateCollectionAsync(new StoredCollection(CollectionId, ModelVersion, dimension, DateTimeOffset.UnixEpoch), cancellationToken);

            var writeStart = Stopwatch.GetTimestamp();
            await database.InsertFacesAsync(Faces(dimension, faces, seed), cancellationToken);
            var writeSeconds = Stopwatch.GetElapsedTime(writeStart).TotalSeconds;

            var loadStart = Stopwatch.GetTimestamp();
            using var sync = await CollectionIndexSync.LoadAsync(database, CollectionId, ModelVersion, new FaceVectorIndex(dimension), cancellationToken);
            var loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            if (sync.Index.Count != faces)
            {
                throw new InvalidOperationException($"Loaded {sync.Index.Count} of {faces} faces.");
            }

            var checks = new double[UnchangedChecks];
            for (var i = 0; i < checks.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var applied = await sync.CatchUpAsync(force: false, cancellationToken);
                checks[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                if (applied != ChangesApplied.None)
                {
                    throw new InvalidOperationException("The file changed while nothing was written to it.");
                }
            }

            // Another writer (its own database object, so its own connections) indexes a face, then deletes it.
            var writer = new FaceCollectionDatabase(path);
            var extra = Faces(dimension, ChangedCatchUps, seed + 1).ToList();
            var afterAdd = new double[ChangedCatchUps];
            var afterDelete = new double[ChangedCatchUps];
            for (var i = 0; i < ChangedCatchUps; i++)
            {
                await writer.InsertFaceAsync(extra[i], cancellationToken);
                afterAdd[i] = await TimeCatchUpAsync(sync, new ChangesApplied(1, 0), cancellationToken);
                await writer.DeleteFacesAsync(CollectionId, [extra[i].Record.FaceId], cancellationToken);
                afterDelete[i] = await TimeCatchUpAsync(sync, new ChangesApplied(0, 1), cancellationToken);
            }

            Array.Sort(checks);
            return new CollectionLoadResult(
                faces, writeSeconds, loadSeconds, new FileInfo(path).Length,
                checks[checks.Length / 2], checks[(int)(checks.Length * 0.99)], Median(afterAdd), Median(afterDelete));
        }
        finally
        {
            database.ReleaseConnections();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<double> TimeCatchUpAsync(CollectionIndexSync sync, ChangesApplied expected, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var applied = await sync.CatchUpAsync(force: false, cancellationToken);
        var milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return applied == expected
            ? milliseconds
            : throw new InvalidOperationException($"The catch-up applied {applied}, not {expected}.");
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    private static IEnumerable<StoredFace> Faces(int dimension, int count, ulong seed)
    {
        var vectors = new SeededVectors(seed);
        var box = new BoundingBox(0.3f, 0.3f, 0.4f, 0.4f);
        for (var i = 0; i < count; i++)
        {
            var faceId = vectors.NextGuid().ToString("D");
            var embedding = new float[dimension];
            vectors.NextUnitVector(embedding);
            var record = new FaceRecord(faceId, $"person-{i}", box, 99f, faceId);
            yield return new StoredFace(CollectionId, record, embedding, ModelVersion, DateTimeOffset.UnixEpoch);
        }
    }
}
