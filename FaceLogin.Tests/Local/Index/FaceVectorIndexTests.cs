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
        Assert.Empty(index.ListIds(null, 10));
    }

    [Fact]
    public void Stored_vectors_come_back_bit_for_bit_and_removal_wipes_them()
    {
        using var index = new FaceVectorIndex(128);
        var ids = Enumerable.Range(0, 2100).Select(_ => Guid.NewGuid()).ToList();
        var vectors = ids.ToDictionary(id => id, _ => _factory.Unit(128));
        foreach (var id in ids)
        {
            index.Add(id, vectors[id]);
        }

        // Removing from the middle moves the last vector into the hole: every survivor must still read back unchanged.
        foreach (var id in ids.Take(1500))
        {
            Assert.True(index.Remove(id));
            Assert.False(index.Remove(id));
        }

        var buffer = new float[128];
        foreach (var id in ids.Take(1500))
        {
            Assert.False(index.Contains(id));
            Assert.False(index.TryGetVector(id, buffer));
        }

        foreach (var id in ids.Skip(1500))
        {
            Assert.True(index.TryGetVector(id, buffer));
            Assert.Equal(vectors[id], buffer);
        }

        Assert.Equal(600, index.Count);
        var self = index.Search(vectors[ids[^1]], 1, -1f);
        Assert.Equal(ids[^1], self[0].Id);
    }

    [Fact]
    public void Ids_page_in_guid_order_without_gaps_or_repeats()
    {
        using var index = new FaceVectorIndex(8);
        var ids = Enumerable.Range(0, 257).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            index.Add(id, _factory.Unit(8));
        }

        var seen = new List<Guid>();
        Guid? after = null;
        while (true)
        {
            var page = index.ListIds(after, 50);
            if (page.Count == 0)
            {
                break;
            }

            Assert.InRange(page.Count, 1, 50);
            seen.AddRange(page);
            after = page[^1];
        }

        ids.Sort();
        Assert.Equal(ids, seen);
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
