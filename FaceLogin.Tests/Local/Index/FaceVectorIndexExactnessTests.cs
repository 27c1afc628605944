using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// The two-stage search (int8 scan, proven bound, float32 re-rank) must return exactly what a naive float32 scan over the stored
/// vectors (the dequantised x̂ = s·c, see <see cref="StoredVector"/>) returns: same ids, same scores bit for bit, same order, for
/// every k and threshold — including data built to defeat the int8 stage.
/// </summary>
public sealed class FaceVectorIndexExactnessTests
{
    private static readonly int[] Ks = [1, 3, 10, 100, 4096];
    private static readonly float[] Thresholds = [float.NegativeInfinity, -1f, 0f, 0.1f, 0.3f, 0.9f, 0.999f, 1.5f];

    public static TheoryData<int, bool> Shapes => new()
    {
        { 128, false }, { 128, true }, { 100, false }, { 7, true }, { 300, true }, { 33, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Random_vectors_match_the_naive_scan_for_every_k_and_threshold(int dimension, bool parallel)
    {
        var factory = new VectorFactory(dimension * 31 + (parallel ? 1 : 0));
        var (index, stored) = Build(dimension, parallel, Enumerable.Range(0, 3000).Select(_ => factory.Unit(dimension)), factory);
        using (index)
        {
            var queries = new List<float[]> { factory.Gaussian(dimension), factory.Unit(dimension) };
            var storedVectors = stored.Values.ToList();
            queries.Add(storedVectors[17]);
            queries.Add(factory.Near(storedVectors[42], 0.05f));
            queries.Add(factory.Near(storedVectors[1234], 0.4f));

            AssertMatchesNaive(index, stored, queries);
        }
    }

    [Fact]
    public void Exact_duplicates_tie_and_are_ordered_by_id_like_the_naive_scan()
    {
        const int dimension = 128;
        var factory = new VectorFactory(7);
        var bases = Enumerable.Range(0, 50).Select(_ => factory.Unit(dimension)).ToList();
        var vectors = bases.SelectMany(b => Enumerable.Repeat(b, 20));
        var (index, stored) = Build(dimension, parallel: true, vectors, factory);
        using (index)
        {
            AssertMatchesNaive(index, stored, [bases[3], factory.Near(bases[3], 0.2f), factory.Unit(dimension)]);

            // The 20 copies of bases[3] share one score: k = 7 and 25 cut through that group.
            var top = index.Search(bases[3], 25, -1f);
            Assert.Equal(20, top.Count(m => m.Cosine == top[0].Cosine));
        }
    }

    [Fact]
    public void Vectors_closer_than_the_quantisation_error_are_still_ranked_exactly()
    {
        const int dimension = 128;
        var factory = new VectorFactory(11);
        var centre = factory.Unit(dimension);

        // 600 vectors about a quantisation step apart per component: their stored codes differ here and there, so their exact
        // scores against the centre lie within ~6e-5 (~400 distinct values), far below what the int8 scan can tell apart (its
        // bound is ~1e-2).
        var cluster = Enumerable.Range(0, 600).Select(_ => factory.Near(centre, 0.02f));
        var background = Enumerable.Range(0, 1500).Select(_ => factory.Unit(dimension));
        var (index, stored) = Build(dimension, parallel: true, cluster.Concat(background), factory);
        using (index)
        {
            var exactScores = NaiveSearch.TopK(stored, UnitVector.Normalize(centre), 600, -1f);
            var spread = exactScores[0].Cosine - exactScores[^1].Cosine;
            var distinct = exactScores.Select(m => m.Cosine).Distinct().Count();
            Assert.True(spread is >= 1e-7f and <= 1e-3f && distinct > 300, $"spread {spread}, {distinct} distinct scores");

            AssertMatchesNaive(index, stored, [centre, factory.Near(centre, 1e-4f)],
                thresholds: [-1f, exactScores[300].Cosine, exactScores[0].Cosine]);
        }
    }

    [Fact]
    public void Spiky_vectors_whose_small_components_quantise_to_zero_are_ranked_exactly()
    {
        const int dimension = 128;
        var factory = new VectorFactory(13);

        var vectors = Enumerable.Range(0, 1000).Select(_ => AdversarialVectors.Spiky(factory, dimension)).Concat(Enumerable.Range(0, 1000).Select(_ => factory.Unit(dimension)));
        var (index, stored) = Build(dimension, parallel: false, vectors, factory);
        using (index)
        {
            AssertMatchesNaive(index, stored, [AdversarialVectors.Spiky(factory, dimension), AdversarialVectors.Spiky(factory, dimension), factory.Unit(dimension)]);
        }
    }

    [Fact]
    public void A_query_whose_rounding_error_points_along_half_the_vectors_and_against_the_other_half_is_answered_exactly()
    {
        // The scan under-scores half the vectors and over-scores the other half by almost the full bound each, and their exact
        // scores interleave: any bound that is too small drops under-scored vectors that belong in the top-k
        // (A_bound_only_slightly_too_tight_loses_true_neighbours_on_the_same_data shows it).
        const int dimension = 128;
        var factory = new VectorFactory(37);
        var (index, stored) = Build(dimension, parallel: true, AdversarialVectors.AlongQueryError(factory, dimension, 2000), factory);
        using (index)
        {
            AssertMatchesNaive(index, stored, [AdversarialVectors.Query(factory, dimension)]);
        }
    }

    [Fact]
    public void A_bound_only_slightly_too_tight_loses_true_neighbours_on_the_same_data()
    {
        // The same data and query as above, with the proven bound scaled by 0.95: the index must now differ from the naive scan,
        // so the exactness tests would catch a wrong proof or a dropped term.
        const int dimension = 128;
        var factory = new VectorFactory(37);
        var vectors = AdversarialVectors.AlongQueryError(factory, dimension, 2000).ToList();
        var query = AdversarialVectors.Query(factory, dimension);
        using var tooTight = new FaceVectorIndex(dimension, new FaceVectorIndexOptions { ErrorBoundFactor = 0.95 });
        var stored = new Dictionary<Guid, float[]>();
        foreach (var vector in vectors)
        {
            var id = factory.NextId();
            tooTight.Add(id, vector);
            stored.Add(id, vector);
        }

        var gallery = StoredVector.All(stored);
        var unitQuery = UnitVector.Normalize(query);
        var missed = Ks.Count(k => !NaiveSearch.TopK(gallery, unitQuery, k, -1f).SequenceEqual(tooTight.Search(query, k, -1f)));
        Assert.True(missed > 0, "a bound 5 % too tight should lose a true neighbour on this data");
    }

    [Fact]
    public void After_removals_and_more_adds_results_still_match_the_naive_scan()
    {
        const int dimension = 64;
        var factory = new VectorFactory(17);
        var (index, stored) = Build(dimension, parallel: true, Enumerable.Range(0, 2500).Select(_ => factory.Unit(dimension)), factory);
        using (index)
        {
            foreach (var id in stored.Keys.Where((_, i) => i % 3 == 0).ToList())
            {
                Assert.True(index.Remove(id));
                stored.Remove(id);
            }

            for (var i = 0; i < 700; i++)
            {
                var id = factory.NextId();
                var vector = factory.Unit(dimension);
                index.Add(id, vector);
                stored.Add(id, vector);
            }

            Assert.Equal(stored.Count, index.Count);
            var storedVectors = stored.Values.ToList();
            AssertMatchesNaive(index, stored, [factory.Unit(dimension), factory.Near(storedVectors[5], 0.1f), storedVectors[^1]]);
        }
    }

    [Fact]
    public void Search_by_id_matches_the_naive_scan_of_the_others()
    {
        const int dimension = 128;
        var factory = new VectorFactory(19);
        var bases = Enumerable.Range(0, 200).Select(_ => factory.Unit(dimension)).ToList();

        // Some exact copies, so the query's own score (1) is shared by other ids.
        var (index, stored) = Build(dimension, parallel: true, bases.Concat(bases.Take(20)), factory);
        using (index)
        {
            var gallery = StoredVector.All(stored);
            foreach (var self in gallery.Take(25))
            {
                foreach (var k in new[] { 1, 5, 50 })
                {
                    // The query is the stored vector x̂, normalised; its copies score 1 (to rounding) against it.
                    Assert.True(index.TrySearchById(self.Id, k, 0.05f, out var matches));
                    var others = gallery.Where(other => other.Id != self.Id);
                    Assert.Equal(NaiveSearch.TopK(others, self.Direction(), k, 0.05f), matches);
                }
            }

            Assert.False(index.TrySearchById(Guid.NewGuid(), 5, 0f, out var none));
            Assert.Empty(none);
        }
    }

    private static (FaceVectorIndex Index, Dictionary<Guid, float[]> Stored) Build(
        int dimension, bool parallel, IEnumerable<float[]> vectors, VectorFactory factory)
    {
        var options = parallel
            ? new FaceVectorIndexOptions { ParallelScanMinimum = 1, MaxDegreeOfParallelism = 3 }
            : new FaceVectorIndexOptions { ParallelScanMinimum = int.MaxValue };
        var index = new FaceVectorIndex(dimension, options);
        var stored = new Dictionary<Guid, float[]>();
        foreach (var vector in vectors)
        {
            var id = factory.NextId();
            index.Add(id, vector);
            stored.Add(id, vector);
        }

        return (index, stored);
    }

    private static void AssertMatchesNaive(FaceVectorIndex index, Dictionary<Guid, float[]> stored, IEnumerable<float[]> queries, float[]? thresholds = null)
    {
        var gallery = StoredVector.All(stored);
        foreach (var query in queries)
        {
            var unitQuery = UnitVector.Normalize(query);
            foreach (var k in Ks)
            {
                foreach (var threshold in thresholds ?? Thresholds)
                {
                    var expected = NaiveSearch.TopK(gallery, unitQuery, k, threshold);
                    var actual = index.Search(query, k, threshold);
                    Assert.True(expected.SequenceEqual(actual), $"k = {k}, threshold = {threshold}: expected {Describe(expected)}, got {Describe(actual)}");
                }
            }
        }
    }

    private static string Describe(IReadOnlyList<VectorMatch> matches) =>
        $"{matches.Count} matches [{string.Join(", ", matches.Take(5).Select(m => $"{m.Id.ToString()[..8]}:{m.Cosine:R}"))}{(matches.Count > 5 ? ", …" : "")}]";
}
