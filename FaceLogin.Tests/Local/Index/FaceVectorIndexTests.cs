using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

public sealed class FaceVectorIndexTests
{
    private readonly VectorFactory _factory = new(23);

    [Fact]
    public void Add_refuses_wrong_length_vectors_that_are_not_unit_length_and_duplicate_ids()
    {
        using var index = new FaceVectorIndex(16);
        var id = Guid.NewGuid();
        index.Add(id, _factory.Unit(16));

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(Guid.NewGuid(), _factory.Unit(15)));
        Assert.Throws<ArgumentException>(() => index.Add(Guid.NewGuid(), _factory.Gaussian(16)));
        Assert.Throws<ArgumentException>(() => index.Add(Guid.NewGuid(), new float[16]));
        var withNaN = _factory.Unit(16);
        withNaN[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => index.Add(Guid.NewGuid(), withNaN));
        Assert.Throws<ArgumentException>(() => index.Add(id, _factory.Unit(16)));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Search_validates_its_arguments()
    {
        using var index = new FaceVectorIndex(16);
        index.Add(Guid.NewGuid(), _factory.Unit(16));

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(_factory.Unit(16), 0, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(_factory.Unit(16), FaceVectorIndex.MaxResultsLimit + 1, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(_factory.Unit(8), 1, 0f));
        Assert.Throws<ArgumentException>(() => index.Search(_factory.Unit(16), 1, float.NaN));
        Assert.Throws<ArgumentException>(() => index.Search(new float[16], 1, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceVectorIndex(FaceVectorIndex.MaxDimension + 1));
    }

    [Fact]
    public void An_empty_index_finds_nothing()
    {
        using var index = new FaceVectorIndex(16);
        Assert.Empty(index.Search(_factory.Unit(16), 10, -1f));
        Assert.Equal(0, index.RetainOnly(new HashSet<Guid>()));
    }

    [Fact]
    public void Stored_vectors_score_bit_for_bit_after_removals_move_them_and_removed_ones_are_gone()
    {
        using var index = new FaceVectorIndex(128);
        var ids = Enumerable.Range(0, 2100).Select(_ => Guid.NewGuid()).ToList();
        var vectors = ids.ToDictionary(id => id, _ => _factory.Unit(128));
        foreach (var id in ids)
        {
            index.Add(id, vectors[id]);
        }

        // Removing from the middle moves the last vector into the hole: every survivor must still score exactly as stored.
        foreach (var id in ids.Take(1500))
        {
            Assert.True(index.Remove(id));
            Assert.False(index.Remove(id));
        }

        Assert.Equal(600, index.Count);
        var survivors = ids.Skip(1500).ToDictionary(id => id, id => vectors[id]);
        var everything = index.Search(_factory.Unit(128), FaceVectorIndex.MaxResultsLimit, float.NegativeInfinity);
        Assert.Equal(survivors.Keys.Order(), everything.Select(m => m.Id).Order());
        foreach (var id in survivors.Keys.Take(100))
        {
            var query = vectors[id];
            Assert.Equal(NaiveSearch.TopK(survivors, UnitVector.Normalize(query), 3, -1f), index.Search(query, 3, -1f));
        }
    }

    [Fact]
    public void What_is_stored_is_the_int8_quantisation_and_it_scores_one_against_its_own_direction()
    {
        const int dimension = 512;
        using var index = new FaceVectorIndex(dimension);
        var x = _factory.Unit(dimension);
        var stored = StoredVector.Of(Guid.NewGuid(), x);
        index.Add(stored.Id, x);

        // Searched with the float32 embedding it was added with: the cosine of x with x̂, which is 1 − ‖x − x̂/‖x̂‖‖² / 2, not 1.
        var direction = stored.Direction();
        var distance = Math.Sqrt(x.Zip(direction, (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.InRange(distance, 1e-3, 0.02);
        var withEmbedding = Assert.Single(index.Search(x, 5, -1f));
        Assert.Equal(stored.Cosine(x), withEmbedding.Cosine);
        Assert.Equal(1 - distance * distance / 2, withEmbedding.Cosine, 1e-6);

        // Searched with the stored vector's own direction (what a search by id uses): 1 to float rounding.
        Assert.Equal(1f, index.Search(direction, 1, -1f)[0].Cosine, 1e-6f);
    }

    [Fact]
    public void Retaining_only_given_ids_removes_the_others_and_keeps_the_rest_searchable()
    {
        using var index = new FaceVectorIndex(16);
        var vectors = Enumerable.Range(0, 1500).ToDictionary(_ => Guid.NewGuid(), _ => _factory.Unit(16));
        foreach (var (id, vector) in vectors)
        {
            index.Add(id, vector);
        }

        var keep = vectors.Keys.Where((_, i) => i % 3 == 0).ToHashSet();
        keep.Add(Guid.NewGuid()); // an id the index never held changes nothing

        Assert.Equal(1000, index.RetainOnly(keep));
        Assert.Equal(500, index.Count);
        var kept = vectors.Where(p => keep.Contains(p.Key)).ToDictionary();
        var query = _factory.Unit(16);
        Assert.Equal(NaiveSearch.TopK(kept, UnitVector.Normalize(query), 600, -1f), index.Search(query, 600, -1f));
    }

    [Fact]
    public void Threshold_above_every_score_returns_nothing_and_k_limits_the_count()
    {
        using var index = new FaceVectorIndex(32);
        for (var i = 0; i < 100; i++)
        {
            index.Add(Guid.NewGuid(), _factory.Unit(32));
        }

        var query = _factory.Unit(32);
        Assert.Empty(index.Search(query, 10, 1.01f));
        Assert.Equal(7, index.Search(query, 7, -1f).Count);
        Assert.Equal(100, index.Search(query, 4096, float.NegativeInfinity).Count);
    }
}
