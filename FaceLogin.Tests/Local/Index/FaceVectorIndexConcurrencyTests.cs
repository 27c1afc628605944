using System.Collections.Concurrent;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// Adds, removes and searches at once from several threads. Every search result is checked against the immutable vectors
/// of the ids it returns (as the index stores them): a torn read (a slot half-moved by a removal) would give a score no stored
/// vector has.
/// </summary>
public sealed class FaceVectorIndexConcurrencyTests
{
    private const int Dimension = 64;

    [Fact]
    public async Task Concurrent_adds_removes_and_searches_never_throw_or_tear_and_end_consistent()
    {
        var factory = new VectorFactory(41);
        var everStored = new ConcurrentDictionary<Guid, float[]>();
        var asStored = new ConcurrentDictionary<Guid, StoredVector>();
        using var index = new FaceVectorIndex(Dimension, new FaceVectorIndexOptions { ParallelScanMinimum = 1_000, MaxDegreeOfParallelism = 2 });

        var initial = Enumerable.Range(0, 2000).Select(_ => (Id: factory.NextId(), Vector: factory.Unit(Dimension))).ToList();
        foreach (var (id, vector) in initial)
        {
            index.Add(id, vector);
            everStored[id] = vector;
        }

        var toRemove = initial.Where((_, i) => i % 2 == 0).Select(p => p.Id).ToList();
        var toAdd = Enumerable.Range(0, 1000).Select(_ => (Id: factory.NextId(), Vector: factory.Unit(Dimension))).ToList();
        foreach (var (id, vector) in toAdd)
        {
            everStored[id] = vector;
        }

        var queries = Enumerable.Range(0, 40).Select(_ => factory.Unit(Dimension)).ToList();
        foreach (var (id, vector) in everStored)
        {
            asStored[id] = StoredVector.Of(id, vector);
        }

        // What the index scores against: the query as UnitVector.Normalize leaves it.
        var unitQueries = queries.ToDictionary(q => q, q => UnitVector.Normalize(q));
        var cancellation = TestContext.Current.CancellationToken;
        using var writersDone = new CancellationTokenSource();
        using var readerFailed = new CancellationTokenSource();
        var start = new TaskCompletionSource();
        var searches = 0;

        // Each writer owns its ids, so the expected end state is known exactly. Before its final adds and removes it churns:
        // removing a batch (which moves vectors from the end into the holes) and adding it back, to keep readers racing writers.
        Task Writer(int part, int parts) => Task.Run(async () =>
        {
            await start.Task;
            var churn = initial.Where((_, i) => i % 2 != 0 && i % parts == part).Take(300).ToList();
            // Bounded, and stops early if a reader failed (it would stop counting searches).
            for (var round = 0; round < 10_000 && Volatile.Read(ref searches) < 400 && !readerFailed.IsCancellationRequested; round++)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var (id, _) in churn)
                {
                    Assert.True(index.Remove(id));
                }

                foreach (var (id, vector) in churn)
                {
                    index.Add(id, vector);
                }
            }

            for (var i = part; i < Math.Max(toRemove.Count, toAdd.Count); i += parts)
            {
                if (i < toAdd.Count)
                {
                    index.Add(toAdd[i].Id, toAdd[i].Vector);
                }

                if (i < toRemove.Count)
                {
                    Assert.True(index.Remove(toRemove[i]));
                }
            }
        }, cancellation);

        Task Reader(int seed) => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                ReadUntilWritersAreDone(seed);
            }
            catch
            {
                await readerFailed.CancelAsync();
                throw;
            }
        }, cancellation);

        void ReadUntilWritersAreDone(int seed)
        {
            var random = new Random(seed);

            // Keep reading until the writers finish (they churn until readers have searched enough).
            while (!writersDone.IsCancellationRequested)
            {
                cancellation.ThrowIfCancellationRequested();
                var query = queries[random.Next(queries.Count)];

                // Half the searches ask for everything, so every stored slot is re-read and checked.
                var k = random.Next(2) == 0 ? random.Next(1, 30) : FaceVectorIndex.MaxResultsLimit;
                var matches = index.Search(query, k, -1f);
                Interlocked.Increment(ref searches);
                Assert.InRange(matches.Count, 1, k);
                Assert.Equal(matches.Count, matches.Select(m => m.Id).Distinct().Count());
                for (var m = 0; m < matches.Count; m++)
                {
                    Assert.Equal(asStored[matches[m].Id].Cosine(unitQueries[query]), matches[m].Cosine);
                    if (m > 0)
                    {
                        Assert.True(matches[m - 1].Cosine >= matches[m].Cosine);
                    }
                }

            }
        }

        var writers = new[] { Writer(0, 2), Writer(1, 2) };
        var readers = new[] { Reader(1), Reader(2), Reader(3) };
        start.SetResult();
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(searches >= 400);
        var expected = initial.Where((_, i) => i % 2 != 0).Concat(toAdd).ToDictionary(p => p.Id, p => p.Vector);
        Assert.Equal(expected.Count, index.Count);
        var stored = index.Search(queries[0], FaceVectorIndex.MaxResultsLimit, float.NegativeInfinity).Select(m => m.Id).ToHashSet();
        Assert.True(stored.SetEquals(expected.Keys));
        foreach (var query in queries.Take(5))
        {
            Assert.Equal(NaiveSearch.TopK(expected, UnitVector.Normalize(query), 20, -1f), index.Search(query, 20, -1f));
        }
    }
}
