using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Local.Index;

/// <param name="WriteSeconds">Bulk insert of every face in one transaction (not what sign-up does: it writes one face at a time).</param>
/// <param name="LoadSeconds">What start-up pays: <see cref="FaceCollectionDatabase.LoadEmbeddingsAsync"/> into an empty index.</param>
public sealed record CollectionLoadResult(int Faces, double WriteSeconds, double LoadSeconds, long FileBytes);

/// <summary>
/// Measures how long the local collection takes to load its SQLite file into the index at start-up: writes a synthetic
/// collection of random unit vectors to a file in <c>folder</c>, then times loading it. The file is deleted afterwards.
/// </summary>
public sealed class CollectionLoadBenchmark
{
    private const string CollectionId = "load-benchmark";

    public async Task<CollectionLoadResult> RunAsync(int dimension, int faces, string folder, ulong seed, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, $"load-benchmark-{Guid.NewGuid():N}.db");
        var database = new FaceCollectionDatabase(path);
        try
        {
            await database.MigrateAsync(cancellationToken);
            await database.CreateCollectionAsync(new StoredCollection(CollectionId, "synthetic", dimension, DateTimeOffset.UnixEpoch), cancellationToken);

            var writeStart = Stopwatch.GetTimestamp();
            await database.InsertFacesAsync(Faces(dimension, faces, seed), cancellationToken);
            var writeSeconds = Stopwatch.GetElapsedTime(writeStart).TotalSeconds;

            using var index = new FaceVectorIndex(dimension);
            var loadStart = Stopwatch.GetTimestamp();
            await database.LoadEmbeddingsAsync(CollectionId, index, cancellationToken);
            var loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            if (index.Count != faces)
            {
                throw new InvalidOperationException($"Loaded {index.Count} of {faces} faces.");
            }

            return new CollectionLoadResult(faces, writeSeconds, loadSeconds, new FileInfo(path).Length);
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
            yield return new StoredFace(CollectionId, record, embedding, "synthetic", DateTimeOffset.UnixEpoch);
        }
    }
}
