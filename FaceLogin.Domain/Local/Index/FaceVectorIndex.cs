using System.Buffers;
using System.Numerics.Tensors;

namespace FaceLogin.Domain.Local.Index;

/// <summary>One search hit: a stored vector's id and its exact float32 cosine with the query (see <see cref="FaceVectorIndex"/>).</summary>
public readonly record struct VectorMatch(Guid Id, float Cosine);

/// <summary>How a search spreads over the CPU.</summary>
public sealed record FaceVectorIndexOptions
{
    /// <summary>Below this many vectors a search scans on the calling thread: splitting costs more than it saves.</summary>
    public int ParallelScanMinimum { get; init; } = 32_768;

    /// <summary>Most threads one search uses.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Tests only: multiplies the proven scan bound (<see cref="ScoreErrorBound"/>), so a test can show that a bound even slightly
    /// too tight loses true neighbours, i.e. that the exactness tests would catch one. Below 1 it breaks exactness; above 1 it only
    /// re-scores more candidates.
    /// </summary>
    internal double ErrorBoundFactor { get; init; } = 1;
}

/// <summary>
/// Exact top-k cosine search over L2-normalised vectors, in memory, stored as int8 codes.
/// </summary>
/// <remarks>
/// <para>
/// What is stored: <see cref="Add"/> quantises the unit vector x once to int8 codes c and a scale s (<see cref="Int8Quantization"/>),
/// and from then on the stored vector is x̂ = s·c; the float32 input is not kept. A score is the cosine with x̂:
/// (q·x̂)/‖x̂‖ = (q·c)/‖c‖ for the normalised query q, computed in float32 as TensorPrimitives.Dot(c, q) / fl(‖c‖), so a stored vector
/// searched with its own direction scores 1 (to float rounding) and scores stay cosines. Only ‖c‖ is kept per vector: s cancels.
/// ‖x − x̂/‖x̂‖‖ is about 0.01 (at most 0.012 over lfw-dev's 512-d faces), and a cosine moves by at most that against the
/// float32 embedding; docs/collection.md gives the measured effect on FAR and TAR.
/// </para>
/// <para>
/// Search is two-stage and exact with respect to what is stored. Stage one scans the codes against the query's int16 codes
/// (SIMD multiply-add) and gives every vector an interval [approx − B, approx + B] that is proven to hold its exact score; B covers
/// the query's quantisation error and float rounding only (<see cref="ScoreErrorBound"/>). Every vector whose upper end reaches the
/// k-th best lower end (or the threshold, whichever is higher) is a candidate: no vector outside can be in the exact top-k, ties
/// included. Stage two scores the few candidates exactly (their codes as floats, <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>,
/// divided by ‖c‖) and orders them by score, then by id, so the result equals a naive float32 scan over the stored vectors.
/// </para>
/// <para>
/// Concurrency: a <see cref="ReaderWriterLockSlim"/>. Searches share the read lock (and may fan out over cores while holding it);
/// adds and removes take the write lock. Searches take milliseconds and writes are rare (a sign-up, an admin deletion), so a writer
/// waits at most one search; copy-on-write segments would let writers skip that wait but would copy megabytes per add and
/// transiently double memory, which the 1 KB-per-face budget cannot afford. Storage stays dense (a removal moves the last vector
/// into the hole), so scans never skip tombstones.
/// </para>
/// <para>
/// Memory per vector of dimension d: d rounded up to 32 (codes) + 4 (‖c‖) + 16 (id) + the id map's entry (~32–64 B): about 190 B
/// for d = 128 and 570 B for d = 512. Storage grows in segments of <see cref="SegmentCapacity"/> vectors so it is never more than
/// one segment larger than needed.
/// </para>
/// </remarks>
public sealed class FaceVectorIndex : IDisposable
{
    /// <summary>Largest supported dimension; the error bound's proof and the integer sums assume it (see <see cref="ScoreErrorBound"/>).</summary>
    public const int MaxDimension = 4096;

    /// <summary>Largest k a search accepts (Rekognition's MaxFaces limit).</summary>
    public const int MaxResultsLimit = 4096;

    /// <summary>Stored vectors must be unit length to within this: |Σxᵢ² − 1| ≤ tolerance.</summary>
    public const double UnitNormTolerance = 1e-4;

    internal const int SegmentCapacity = 1024;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<Segment> _segments = [];
    private readonly Dictionary<Guid, int> _slots = [];
    private readonly FaceVectorIndexOptions _options;
    private readonly int _codeLength;
    private int _count;

    public FaceVectorIndex(int dimension, FaceVectorIndexOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, MaxDimension);
        Dimension = dimension;
        _options = options ?? new FaceVectorIndexOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxDegreeOfParallelism, 1, nameof(options));
        _codeLength = Int8Quantization.PaddedLength(dimension);
    }

    public int Dimension { get; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Reserves room for <paramref name="capacity"/> vectors, so a bulk load does not grow the id map step by step (each step briefly doubles it).</summary>
    public void EnsureCapacity(int capacity)
    {
        _lock.EnterWriteLock();
        try
        {
            _slots.EnsureCapacity(capacity);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Adds a vector that is already L2-normalised (see <see cref="UnitVector.Normalize"/>). It is stored as its int8 quantisation
    /// x̂ = s·c (see the class remarks): searches score against x̂, not against <paramref name="unitVector"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length, not unit length, or the id is already present.</exception>
    public void Add(Guid id, ReadOnlySpan<float> unitVector)
    {
        ValidateStored(unitVector);
        _lock.EnterWriteLock();
        try
        {
            if (_slots.ContainsKey(id))
            {
                throw new ArgumentException($"The index already holds {id}.", nameof(id));
            }

            var slot = _count;
            var segment = slot / SegmentCapacity;
            if (segment == _segments.Count)
            {
                _segments.Add(new Segment(_codeLength));
            }

            _segments[segment].Write(slot % SegmentCapacity, id, unitVector);
            _slots.Add(id, slot);
            _count++;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a vector and wipes its slot; false when the id is not present.</summary>
    public bool Remove(Guid id)
    {
        _lock.EnterWriteLock();
        try
        {
            return RemoveLocked(id);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Removes every vector whose id is not in <paramref name="keep"/>; returns how many went. For reconciling with the store
    /// when its deletion log no longer reaches back far enough (see <see cref="FaceCollectionDatabase.ApplyChangesAsync"/>).
    /// </summary>
    public int RetainOnly(IReadOnlySet<Guid> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        _lock.EnterWriteLock();
        try
        {
            var gone = _slots.Keys.Where(id => !keep.Contains(id)).ToList();
            foreach (var id in gone)
            {
                RemoveLocked(id);
            }

            return gone.Count;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The <paramref name="maxResults"/> stored vectors most similar to <paramref name="query"/> (normalised here with
    /// <see cref="UnitVector.Normalize"/>) whose cosine is at least <paramref name="minCosine"/>: best first, ties by id.
    /// </summary>
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int maxResults, float minCosine)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(query.Length, Dimension, nameof(query));
        ValidateSearch(maxResults, minCosine);
        var unitQuery = UnitVector.Normalize(query);
        _lock.EnterReadLock();
        try
        {
            return SearchLocked(unitQuery, maxResults, minCosine);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Searches with a stored vector: x̂ normalised (<see cref="UnitVector.Normalize"/> of its codes as floats); the vector itself is
    /// not among the matches. False when <paramref name="id"/> is not present.
    /// </summary>
    public bool TrySearchById(Guid id, int maxResults, float minCosine, out IReadOnlyList<VectorMatch> matches)
    {
        ValidateSearch(maxResults, minCosine);
        _lock.EnterReadLock();
        try
        {
            if (!_slots.TryGetValue(id, out var slot))
            {
                matches = [];
                return false;
            }

            // One more than asked, then drop the query itself: the top-(k+1) without it is exactly the top-k of the others.
            var found = SearchLocked(StoredDirection(slot), maxResults + 1, minCosine);
            matches = found.Where(m => m.Id != id).Take(maxResults).ToList();
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private bool RemoveLocked(Guid id)
    {
        if (!_slots.Remove(id, out var slot))
        {
            return false;
        }

        var last = _count - 1;
        var lastSegment = _segments[last / SegmentCapacity];
        if (slot != last)
        {
            var movedId = lastSegment.Ids[last % SegmentCapacity];
            _segments[slot / SegmentCapacity].CopyFrom(slot % SegmentCapacity, lastSegment, last % SegmentCapacity);
            _slots[movedId] = slot;
        }

        // Biometric data: the vacated slot must not keep a copy of anyone's embedding.
        lastSegment.Clear(last % SegmentCapacity);
        _count = last;

        // Keep one empty segment as slack so add/remove at a boundary does not reallocate each time.
        var segmentsNeeded = (_count + SegmentCapacity - 1) / SegmentCapacity;
        while (_segments.Count > segmentsNeeded + 1)
        {
            _segments.RemoveAt(_segments.Count - 1);
        }

        return true;
    }

    private IReadOnlyList<VectorMatch> SearchLocked(float[] unitQuery, int maxResults, float minCosine)
    {
        if (_count == 0)
        {
            return [];
        }

        var query = QuantizedQuery.Create(unitQuery, _codeLength, _options.ErrorBoundFactor);
        var segmentCount = (_count + SegmentCapacity - 1) / SegmentCapacity;
        var workers = _count >= _options.ParallelScanMinimum ? Math.Min(_options.MaxDegreeOfParallelism, segmentCount) : 1;
        var partials = new ScanResult[workers];
        if (workers == 1)
        {
            partials[0] = Scan(0, segmentCount, query, maxResults, minCosine);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                var first = (int)((long)segmentCount * worker / workers);
                var end = (int)((long)segmentCount * (worker + 1) / workers);
                partials[worker] = Scan(first, end, query, maxResults, minCosine);
            });
        }

        var cutoff = Cutoff(partials, maxResults, minCosine);
        var matches = new List<VectorMatch>();
        var stored = ArrayPool<float>.Shared.Rent(Dimension);
        try
        {
            foreach (var partial in partials)
            {
                foreach (var candidate in partial.Candidates)
                {
                    if (candidate.UpperBound < cutoff)
                    {
                        continue;
                    }

                    var exact = ExactScore(candidate.Slot, unitQuery, stored.AsSpan(0, Dimension));
                    if (exact >= minCosine)
                    {
                        matches.Add(new VectorMatch(IdAt(candidate.Slot), exact));
                    }
                }
            }
        }
        finally
        {
            // It held someone's codes: the pool must not hand them out.
            ArrayPool<float>.Shared.Return(stored, clearArray: true);
        }

        matches.Sort(static (a, b) => b.Cosine != a.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.Id.CompareTo(b.Id));
        if (matches.Count > maxResults)
        {
            matches.RemoveRange(maxResults, matches.Count - maxResults);
        }

        return matches;
    }

    /// <summary>
    /// Stage one over segments [first, end): keeps a min-heap of the k best lower bounds and every vector whose upper bound
    /// reaches the running cutoff (the cutoff only rises, so the final filter in <see cref="SearchLocked"/> is the strict one).
    /// </summary>
    private ScanResult Scan(int firstSegment, int endSegment, QuantizedQuery query, int maxResults, float minCosine)
    {
        var bestLowerBounds = new PriorityQueue<float, float>(Math.Min(maxResults, _count));
        var candidates = new List<Candidate>();
        var cutoff = minCosine;
        var queryCodes = query.Codes.AsSpan();
        var bound = query.ErrorBound;
        for (var s = firstSegment; s < endSegment; s++)
        {
            var segment = _segments[s];
            var used = Math.Min(SegmentCapacity, _count - s * SegmentCapacity);
            var codes = segment.Codes.AsSpan(0, used * _codeLength);
            var codeNorms = segment.CodeNorms.AsSpan(0, used);
            for (var i = 0; i < used; i++)
            {
                // The operations ScoreErrorBound's proof counts: fl(fl(I)·fl(s_q / n)).
                var dot = Int8Quantization.Dot(codes.Slice(i * _codeLength, _codeLength), queryCodes);
                var approximate = (float)dot * (query.Scale / codeNorms[i]);
                var upper = approximate + bound;
                if (upper < cutoff)
                {
                    continue;
                }

                candidates.Add(new Candidate(s * SegmentCapacity + i, upper));
                var lower = approximate - bound;
                if (bestLowerBounds.Count < maxResults)
                {
                    bestLowerBounds.Enqueue(lower, lower);
                }
                else if (lower > bestLowerBounds.Peek())
                {
                    bestLowerBounds.DequeueEnqueue(lower, lower);
                }
                else
                {
                    continue;
                }

                if (bestLowerBounds.Count == maxResults)
                {
                    cutoff = Math.Max(minCosine, bestLowerBounds.Peek());
                }
            }
        }

        return new ScanResult(candidates, bestLowerBounds.UnorderedItems.Select(item => item.Element).ToArray());
    }

    /// <summary>
    /// The k-th best lower bound over all workers (each heap holds distinct vectors, so k of them score at least this),
    /// or the threshold when higher or when fewer than k vectors reached it.
    /// </summary>
    private static float Cutoff(ScanResult[] partials, int maxResults, float minCosine)
    {
        var lowerBounds = partials.SelectMany(p => p.BestLowerBounds).ToArray();
        if (lowerBounds.Length < maxResults)
        {
            return minCosine;
        }

        Array.Sort(lowerBounds);
        return Math.Max(minCosine, lowerBounds[^maxResults]);
    }

    /// <summary>
    /// The exact score of the stored vector x̂ = s·c in <paramref name="slot"/>: Dot(c, q) / fl(‖c‖) in float32, the cosine of the
    /// query with x̂. <paramref name="buffer"/> (<see cref="Dimension"/> long) receives the codes as floats.
    /// </summary>
    private float ExactScore(int slot, float[] unitQuery, Span<float> buffer)
    {
        var segment = _segments[slot / SegmentCapacity];
        var offset = slot % SegmentCapacity;
        Int8Quantization.ToFloats(segment.CodesAt(offset), buffer);
        return TensorPrimitives.Dot(buffer, unitQuery) / segment.CodeNorms[offset];
    }

    /// <summary>x̂ / ‖x̂‖ of the vector in <paramref name="slot"/>, as a search by id uses it.</summary>
    private float[] StoredDirection(int slot) =>
        Int8Quantization.Direction(_segments[slot / SegmentCapacity].CodesAt(slot % SegmentCapacity), Dimension);

    private Guid IdAt(int slot) => _segments[slot / SegmentCapacity].Ids[slot % SegmentCapacity];

    private void ValidateStored(ReadOnlySpan<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension, nameof(vector));
        var sumOfSquares = TensorPrimitives.SumOfSquares(vector);
        if (!(Math.Abs(sumOfSquares - 1.0) <= UnitNormTolerance))
        {
            throw new ArgumentException(
                $"Stored vectors must be L2-normalised (squared norm {sumOfSquares} is not within {UnitNormTolerance} of 1).", nameof(vector));
        }
    }

    private static void ValidateSearch(int maxResults, float minCosine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxResultsLimit);
        if (float.IsNaN(minCosine))
        {
            throw new ArgumentException("The minimum cosine must be a number.", nameof(minCosine));
        }
    }

    private readonly record struct Candidate(int Slot, float UpperBound);

    private sealed record ScanResult(List<Candidate> Candidates, float[] BestLowerBounds);

    /// <summary>A query in the scan's representation with its per-query error bound B (the same for every stored vector).</summary>
    private sealed record QuantizedQuery(short[] Codes, float Scale, float ErrorBound)
    {
        public static QuantizedQuery Create(float[] unitQuery, int codeLength, double errorBoundFactor)
        {
            var codes = new short[codeLength];
            var (scale, errorNorm) = Int8Quantization.QuantizeQuery(unitQuery, codes);
            double sumOfSquares = 0;
            foreach (var value in unitQuery)
            {
                sumOfSquares += (double)value * value;
            }

            var normBound = Math.Sqrt(sumOfSquares) * (1 + 1e-12);
            var bound = ScoreErrorBound.For(unitQuery.Length, normBound, errorNorm);
            return new QuantizedQuery(codes, scale, errorBoundFactor == 1 ? bound : (float)(bound * errorBoundFactor));
        }
    }

    /// <summary>
    /// <see cref="SegmentCapacity"/> slots in parallel arrays: the int8 codes (the stored vectors), their norms and the ids. Each array
    /// is a single allocation, so a segment costs no per-vector object headers.
    /// </summary>
    private sealed class Segment(int codeLength)
    {
        public sbyte[] Codes { get; } = new sbyte[SegmentCapacity * codeLength];
        public float[] CodeNorms { get; } = new float[SegmentCapacity];
        public Guid[] Ids { get; } = new Guid[SegmentCapacity];

        public ReadOnlySpan<sbyte> CodesAt(int offset) => Codes.AsSpan(offset * codeLength, codeLength);

        public void Write(int offset, Guid id, ReadOnlySpan<float> unitVector)
        {
            var codes = Codes.AsSpan(offset * codeLength, codeLength);
            Int8Quantization.QuantizeStored(unitVector, codes);
            CodeNorms[offset] = Int8Quantization.CodeNorm(codes);
            Ids[offset] = id;
        }

        public void CopyFrom(int offset, Segment source, int sourceOffset)
        {
            source.CodesAt(sourceOffset).CopyTo(Codes.AsSpan(offset * codeLength, codeLength));
            CodeNorms[offset] = source.CodeNorms[sourceOffset];
            Ids[offset] = source.Ids[sourceOffset];
        }

        public void Clear(int offset)
        {
            Codes.AsSpan(offset * codeLength, codeLength).Clear();
            CodeNorms[offset] = 0;
            Ids[offset] = Guid.Empty;
        }
    }
}
