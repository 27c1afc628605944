using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace FaceLogin.Domain.Local.Index;

/// <param name="Dimension">Embedding length (the analyzer's <c>EmbeddingLength</c>).</param>
/// <param name="CollectionSizes">Faces in each synthetic collection, e.g. 10 000, 100 000, 1 000 000.</param>
/// <param name="Queries">Timed queries per collection: half are gallery vectors with noise (true matches), half random.</param>
/// <param name="MaxResults">k of each search.</param>
/// <param name="MinCosine">Threshold of each search; -1 (no threshold) measures the full top-k, the slowest case.</param>
/// <param name="NaiveChecks">Queries per collection whose result is also checked against a naive float32 scan of the stored (int8) vectors.</param>
public sealed record SearchBenchmarkSettings(
    int Dimension,
    IReadOnlyList<int> CollectionSizes,
    int Queries = 200,
    int MaxResults = 10,
    float MinCosine = -1f,
    int NaiveChecks = 5,
    ulong Seed = 20_240_601);

public sealed record SearchBenchmarkProgress(int CollectionSize, string Stage, double Fraction);

/// <param name="MemoryBytesPerFace">Managed heap growth while building the index (after full collections), divided by the face count.</param>
/// <param name="PerturbedTop1Rate">Share of noisy-gallery queries whose best match is the vector they came from.</param>
/// <param name="NaiveChecksPassed">Queries whose ids and scores equal a naive float32 scan's over the stored vectors x̂, bit for bit.</param>
/// <param name="MaxStoredDirectionError">
/// Largest ‖x − x̂/‖x̂‖‖ over the gallery (x the float32 vector added, x̂ = s·c what the index stores): no query's cosine with a
/// stored vector can differ from its cosine with the float32 vector by more.
/// </param>
/// <param name="MaxCosineShift">Largest |cos(q, x) − cos(q, x̂)| over every pair of a naive-checked query and a gallery vector (both null without naive checks).</param>
public sealed record SearchBenchmarkResult(
    int Faces,
    int Queries,
    double BuildSeconds,
    double MemoryBytesPerFace,
    double SearchMsP50,
    double SearchMsP95,
    double SearchMsMean,
    double PerturbedTop1Rate,
    int NaiveChecks,
    int NaiveChecksPassed,
    double? MaxStoredDirectionError,
    double? MaxCosineShift)
{
    /// <summary>
    /// Bytes the build allocated on its own thread, divided by the face count: the index reserves its storage up front
    /// (<c>EnsureCapacity</c>), so this is what it holds, and unlike <see cref="MemoryBytesPerFace"/> (the whole process's heap)
    /// no other thread's allocations or releases can move it.
    /// </summary>
    public double AllocatedBytesPerFace { get; init; }
}

public sealed record SearchBenchmarkReport(
    int Dimension,
    int MaxResults,
    float MinCosine,
    string Kernel,
    int ProcessorCount,
    string Runtime,
    string Os,
    IReadOnlyList<SearchBenchmarkResult> Collections);

/// <summary>
/// Measures 1:N search of <see cref="FaceVectorIndex"/> over synthetic collections of random unit vectors: build time,
/// memory per face, and search latency percentiles. Called by the <c>bench</c> and <c>bench-search</c> commands.
/// </summary>
public sealed class SearchBenchmark(FaceVectorIndexOptions? indexOptions = null)
{
    private const int WarmUpQueries = 10;

    public SearchBenchmarkReport Run(SearchBenchmarkSettings settings, IProgress<SearchBenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Queries, 2);
        var results = new List<SearchBenchmarkResult>();
        foreach (var size in settings.CollectionSizes)
        {
            results.Add(RunOne(settings, size, progress, cancellationToken));
        }

        return new SearchBenchmarkReport(
            settings.Dimension,
            settings.MaxResults,
            settings.MinCosine,
            Int8Quantization.KernelName,
            Environment.ProcessorCount,
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            results);
    }

    private SearchBenchmarkResult RunOne(SearchBenchmarkSettings settings, int size, IProgress<SearchBenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var dimension = settings.Dimension;
        var perturbedCount = settings.Queries / 2;

        // Which gallery vectors become noisy queries, chosen up front so their copies are allocated before memory is measured.
        var picker = new SeededVectors(settings.Seed ^ 0x9E3779B97F4A7C15UL);
        var sourcePositions = Enumerable.Range(0, perturbedCount).Select(_ => (int)(picker.NextUInt64() % (ulong)size)).ToArray();
        var sourcesByPosition = sourcePositions.Distinct().ToDictionary(p => p, _ => new float[dimension]);
        var sourceIds = new Guid[perturbedCount];
        var scratch = new float[dimension];

        var memoryBefore = MeasureHeap();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var buildStart = Stopwatch.GetTimestamp();
        var index = new FaceVectorIndex(dimension, indexOptions);
        index.EnsureCapacity(size);
        var gallery = new SeededVectors(settings.Seed);
        var idsByPosition = new Dictionary<int, Guid>();
        for (var position = 0; position < size; position++)
        {
            var id = gallery.NextGuid();
            gallery.NextUnitVector(scratch);
            index.Add(id, scratch);
            if (sourcesByPosition.TryGetValue(position, out var copy))
            {
                scratch.CopyTo(copy, 0);
                idsByPosition[position] = id;
            }

            if ((position & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new SearchBenchmarkProgress(size, "build", (double)position / size));
            }
        }

        var buildSeconds = Stopwatch.GetElapsedTime(buildStart).TotalSeconds;
        var allocatedByBuild = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var memoryAfter = MeasureHeap();
        progress?.Report(new SearchBenchmarkProgress(size, "build", 1));

        var queries = new float[settings.Queries][];
        var noise = new SeededVectors(settings.Seed + 1);
        for (var q = 0; q < settings.Queries; q++)
        {
            var query = new float[dimension];
            if (q < perturbedCount)
            {
                // Noise of norm ≈ 0.5 around a unit vector: cosine ≈ 0.89 with its source, like two photos of one person.
                noise.NextUnitVector(query);
                TensorPrimitives.MultiplyAdd(query, 0.5f, sourcesByPosition[sourcePositions[q]], query);
                sourceIds[q] = idsByPosition[sourcePositions[q]];
            }
            else
            {
                noise.NextUnitVector(query);
            }

            queries[q] = query;
        }

        for (var w = 0; w < WarmUpQueries; w++)
        {
            index.Search(queries[w % queries.Length], settings.MaxResults, settings.MinCosine);
        }

        var timesMs = new double[settings.Queries];
        var results = new IReadOnlyList<VectorMatch>[settings.Queries];
        var top1Hits = 0;
        for (var q = 0; q < settings.Queries; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            results[q] = index.Search(queries[q], settings.MaxResults, settings.MinCosine);
            timesMs[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (q < perturbedCount && results[q].Count > 0 && results[q][0].Id == sourceIds[q])
            {
                top1Hits++;
            }

            if (q % 20 == 0)
            {
                progress?.Report(new SearchBenchmarkProgress(size, "search", (double)q / settings.Queries));
            }
        }

        progress?.Report(new SearchBenchmarkProgress(size, "search", 1));
        var naiveChecks = Math.Min(settings.NaiveChecks, settings.Queries);
        var naive = CheckAgainstNaiveScan(settings, size, queries, results, naiveChecks, progress, cancellationToken);
        var memoryPerFace = (double)(memoryAfter - memoryBefore) / size;
        GC.KeepAlive(index);
        index.Dispose();

        Array.Sort(timesMs);
        return new SearchBenchmarkResult(
            size,
            settings.Queries,
            buildSeconds,
            memoryPerFace,
            Percentile(timesMs, 0.50),
            Percentile(timesMs, 0.95),
            timesMs.Average(),
            perturbedCount == 0 ? 0 : (double)top1Hits / perturbedCount,
            naiveChecks,
            naive.Passed,
            naive.MaxStoredDirectionError,
            naive.MaxCosineShift)
        {
            AllocatedBytesPerFace = (double)allocatedByBuild / size,
        };
    }

    /// <summary>
    /// Regenerates the gallery from its seed, quantises each vector as the index stores it (x̂ = s·c) and scores it with a plain
    /// float32 cosine, (q·c)/‖c‖: an independent check that the two-stage search returned exactly the naive top-k over the stored
    /// vectors (first <paramref name="checks"/> queries: noisy ones and random ones alike). On the way it measures how far storing
    /// x̂ instead of x moves cosines.
    /// </summary>
    private static NaiveCheck CheckAgainstNaiveScan(
        SearchBenchmarkSettings settings,
        int size,
        float[][] queries,
        IReadOnlyList<VectorMatch>[] results,
        int checks,
        IProgress<SearchBenchmarkProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (checks == 0)
        {
            return new NaiveCheck(0, null, null);
        }

        // Half the checks from each kind of query.
        var checkedQueries = Enumerable.Range(0, checks)
            .Select(i => i % 2 == 0 ? i / 2 : settings.Queries / 2 + i / 2)
            .Where(q => q < queries.Length)
            .ToArray();
        var unitQueries = checkedQueries.Select(q => UnitVector.Normalize(queries[q])).ToArray();
        var naive = checkedQueries.Select(_ => new List<VectorMatch>()).ToArray();
        var gallery = new SeededVectors(settings.Seed);
        var vector = new float[settings.Dimension];
        var codes = new sbyte[Int8Quantization.PaddedLength(settings.Dimension)];
        var stored = new float[settings.Dimension];
        var direction = new float[settings.Dimension];
        var (maxDirectionError, maxShift) = (0.0, 0.0);
        for (var position = 0; position < size; position++)
        {
            var id = gallery.NextGuid();
            gallery.NextUnitVector(vector);
            Int8Quantization.QuantizeStored(vector, codes);
            double sumOfSquares = 0;
            for (var i = 0; i < stored.Length; i++)
            {
                stored[i] = codes[i];
                sumOfSquares += (double)codes[i] * codes[i];
            }

            var codeNorm = (float)Math.Sqrt(sumOfSquares);
            TensorPrimitives.Divide(stored, codeNorm, direction);
            maxDirectionError = Math.Max(maxDirectionError, TensorPrimitives.Distance(vector, direction));
            for (var c = 0; c < checkedQueries.Length; c++)
            {
                var cosine = TensorPrimitives.Dot(stored, unitQueries[c]) / codeNorm;
                maxShift = Math.Max(maxShift, Math.Abs(TensorPrimitives.Dot(vector, unitQueries[c]) - cosine));
                if (cosine >= settings.MinCosine)
                {
                    Keep(naive[c], new VectorMatch(id, cosine), settings.MaxResults);
                }
            }

            if ((position & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new SearchBenchmarkProgress(size, "naive check", (double)position / size));
            }
        }

        var passed = 0;
        for (var c = 0; c < checkedQueries.Length; c++)
        {
            naive[c].Sort(BestFirst);
            if (naive[c].SequenceEqual(results[checkedQueries[c]]))
            {
                passed++;
            }
        }

        return new NaiveCheck(passed, maxDirectionError, maxShift);
    }

    private sealed record NaiveCheck(int Passed, double? MaxStoredDirectionError, double? MaxCosineShift);

    private static readonly Comparison<VectorMatch> BestFirst =
        static (a, b) => b.Cosine != a.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.Id.CompareTo(b.Id);

    private static void Keep(List<VectorMatch> best, VectorMatch match, int maxResults)
    {
        if (best.Count == maxResults)
        {
            var worst = best.Count - 1;
            if (BestFirst(match, best[worst]) >= 0)
            {
                return;
            }

            best.RemoveAt(worst);
        }

        var at = best.BinarySearch(match, Comparer<VectorMatch>.Create(BestFirst));
        best.Insert(at < 0 ? ~at : at, match);
    }

    private static long MeasureHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
