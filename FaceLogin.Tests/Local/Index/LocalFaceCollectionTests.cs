using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// Rekognition's collection semantics on the local engine, with a scripted analyzer so that every face, size, quality issue
/// and embedding is known, and a real SQLite file in a temp folder.
/// </summary>
public sealed class LocalFaceCollectionTests : IDisposable
{
    private static readonly float[] Alice = [1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly float[] AliceAgain = [0.95f, 0.3f, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Bob = [0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Carol = [0, 0, 3, 0, 0, 0, 0, 0];

    private readonly TemporaryDataFolder _folder = new();
    private readonly ScriptedFaceAnalyzer _analyzer = new();
    private readonly SimilarityScale _scale = new(cosineAtZero: 0.1f, cosineAtHundred: 1.0f);
    private readonly List<LocalFaceCollection> _collections = [];
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _collections.ForEach(c => c.Dispose());
        _folder.Dispose();
    }

    [Fact]
    public async Task A_collection_exists_after_ensure_with_the_analyzers_model_version()
    {
        var collection = Create();
        Assert.Null(await collection.DescribeCollectionAsync(_cancellation));

        var created = await collection.EnsureCollectionAsync(_cancellation);
        var again = await collection.EnsureCollectionAsync(_cancellation);

        Assert.Equal("tests", created.CollectionId);
        Assert.Equal("scripted-v1", created.FaceModelVersion);
        Assert.Equal(0, created.FaceCount);
        Assert.Equal(created, again);
        Assert.Equal(created, await collection.DescribeCollectionAsync(_cancellation));
        Assert.True(File.Exists(_folder.File("collection.db")));
    }

    [Fact]
    public async Task Detecting_reports_every_face_largest_first_and_indexes_nothing()
    {
        var collection = Create();
        var image = _analyzer.Image("group", ScriptedFace.Of(Bob, 0.1f), ScriptedFace.Of(Alice, 0.3f));

        var detected = await collection.DetectFacesAsync(image, _cancellation);

        Assert.Equal([0.3f, 0.1f], detected.Faces.Select(f => f.Box.Width));
        Assert.Equal((640, 480), (detected.ImageWidth, detected.ImageHeight));
        Assert.Null(await collection.DescribeCollectionAsync(_cancellation));
    }

    [Fact]
    public async Task Indexing_one_face_stores_it_with_fresh_ids_and_creates_the_collection()
    {
        var collection = Create();
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice, 0.4f));

        var result = await collection.IndexFaceAsync(image, "person-1:photo_1.jpg", _cancellation);

        var face = Assert.IsType<FaceRecord>(result.Indexed);
        Assert.True(Guid.TryParseExact(face.FaceId, "D", out _));
        Assert.True(Guid.TryParseExact(face.ImageId, "D", out _));
        Assert.Equal("person-1:photo_1.jpg", face.ExternalImageId);
        Assert.Equal(new BoundingBox(0.1f, 0.1f, 0.4f, 0.4f), face.Box);
        Assert.Equal(99.5f, face.Confidence);
        Assert.Equal(face.Box, result.IndexedDetail?.Box);
        Assert.Empty(result.Unindexed);
        Assert.Equal("scripted-v1", result.FaceModelVersion);
        Assert.Equal(1, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task Only_the_largest_face_is_indexed_and_every_other_exceeds_max_faces()
    {
        var collection = Create();
        var image = _analyzer.Image("three", ScriptedFace.Of(Bob, 0.2f), ScriptedFace.Of(Alice, 0.5f), ScriptedFace.Of(Carol, 0.1f));

        var result = await collection.IndexFaceAsync(image, "group", _cancellation);

        Assert.Equal(0.5f, result.Indexed?.Box.Width);
        Assert.Equal([0.2f, 0.1f], result.Unindexed.Select(u => u.Detail.Box.Width));
        Assert.All(result.Unindexed, u => Assert.Equal([UnindexedReason.ExceedsMaxFaces], u.Reasons));

        // And it is Alice's embedding that went in.
        var matches = await collection.SearchFacesByImageAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), 99, 5, _cancellation);
        Assert.Equal(result.Indexed?.FaceId, Assert.Single(matches.Matches).Face.FaceId);
    }

    [Fact]
    public async Task With_the_auto_quality_filter_a_poor_largest_face_is_not_indexed_and_its_issues_are_reported()
    {
        var collection = Create(QualityFilter.Auto);
        var image = _analyzer.Image("poor",
            ScriptedFace.Of(Alice, 0.5f, UnindexedReason.LowSharpness, UnindexedReason.ExtremePose),
            ScriptedFace.Of(Bob, 0.2f));

        var result = await collection.IndexFaceAsync(image, "poor", _cancellation);

        Assert.Null(result.Indexed);
        Assert.Null(result.IndexedDetail);
        Assert.Equal(2, result.Unindexed.Count);
        Assert.Equal([UnindexedReason.LowSharpness, UnindexedReason.ExtremePose], result.Unindexed[0].Reasons);
        Assert.Equal(0.5f, result.Unindexed[0].Detail.Box.Width);
        Assert.Equal([UnindexedReason.ExceedsMaxFaces], result.Unindexed[1].Reasons);
        Assert.Equal(0, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task With_no_quality_filter_a_poor_largest_face_is_indexed()
    {
        var collection = Create(QualityFilter.None);
        var image = _analyzer.Image("poor", ScriptedFace.Of(Alice, 0.5f, UnindexedReason.LowBrightness));

        var result = await collection.IndexFaceAsync(image, "poor", _cancellation);

        Assert.NotNull(result.Indexed);
        Assert.Empty(result.Unindexed);
    }

    [Fact]
    public async Task An_image_without_faces_indexes_nothing_and_searches_with_no_face()
    {
        var collection = Create();
        var empty = _analyzer.Image("landscape");

        var indexed = await collection.IndexFaceAsync(empty, "x", _cancellation);
        var searched = await collection.SearchFacesByImageAsync(empty, 0, 10, _cancellation);

        Assert.Null(indexed.Indexed);
        Assert.Empty(indexed.Unindexed);
        Assert.Null(searched.SearchedFace);
        Assert.Empty(searched.Matches);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/es")]
    [InlineData("ümlaut")]
    [InlineData("new\nline")]
    public async Task External_image_ids_outside_rekognitions_pattern_are_refused_before_analysis(string externalImageId)
    {
        var collection = Create();
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice));

        await Assert.ThrowsAsync<ArgumentException>(() => collection.IndexFaceAsync(image, externalImageId, _cancellation));
        Assert.Equal(0, _analyzer.Calls);
    }

    [Fact]
    public async Task External_image_ids_may_use_every_allowed_character_up_to_255()
    {
        var collection = Create();
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice));

        Assert.NotNull((await collection.IndexFaceAsync(image, "aZ09_.-:", _cancellation)).Indexed);
        Assert.NotNull((await collection.IndexFaceAsync(image, new string('x', 255), _cancellation)).Indexed);
        await Assert.ThrowsAsync<ArgumentException>(() => collection.IndexFaceAsync(image, new string('x', 256), _cancellation));
    }

    [Fact]
    public async Task A_rejected_image_passes_through_as_the_analyzers_own_exception()
    {
        var collection = Create();
        var rejection = new FaceImageRejectedException(ImageProblem.TooLarge, "too large");
        _analyzer.Failure = rejection;
        var image = "anything"u8.ToArray();

        Assert.Same(rejection, await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.DetectFacesAsync(image, _cancellation)));
        Assert.Same(rejection, await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.IndexFaceAsync(image, "x", _cancellation)));
        Assert.Same(rejection, await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.SearchFacesByImageAsync(image, 80, 1, _cancellation)));
        Assert.Equal(0, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount ?? 0);
    }

    [Fact]
    public async Task Searching_by_image_finds_the_same_person_above_the_threshold_with_the_scales_similarity()
    {
        var collection = Create();
        var alice = (await collection.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _cancellation)).Indexed!;
        await collection.IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _cancellation);
        var probe = _analyzer.Image("alice again", ScriptedFace.Of(AliceAgain, 0.3f), ScriptedFace.Of(Carol, 0.1f));

        var result = await collection.SearchFacesByImageAsync(probe, 80, 10, _cancellation);

        // The searched face is the largest one; Alice matches at cos = 0.95 / ‖(0.95, 0.3)‖, Bob (cos ≈ 0.30) is below 80.
        Assert.Equal(0.3f, result.SearchedFace?.Box.Width);
        var match = Assert.Single(result.Matches);
        Assert.Equal(alice, match.Face);
        var cosine = 0.95f / MathF.Sqrt(0.95f * 0.95f + 0.3f * 0.3f);
        Assert.Equal(_scale.ToScore(cosine), match.Similarity, 0.01f);

        Assert.Empty((await collection.SearchFacesByImageAsync(probe, _scale.ToScore(cosine) + 0.5f, 10, _cancellation)).Matches);
    }

    [Fact]
    public async Task Threshold_zero_returns_everyone_up_to_max_faces_best_first()
    {
        var collection = Create();
        await IndexAliceBobAndCarolAsync(collection);

        var probe = _analyzer.Image("alice again", ScriptedFace.Of(AliceAgain));
        var all = await collection.SearchFacesByImageAsync(probe, 0, 10, _cancellation);
        var top2 = await collection.SearchFacesByImageAsync(probe, 0, 2, _cancellation);

        Assert.Equal(["alice", "bob", "carol"], all.Matches.Select(m => m.Face.ExternalImageId));
        Assert.Equal(0f, all.Matches[^1].Similarity); // Carol's cosine 0 is below the scale's zero point: clamped, still returned.
        Assert.Equal(["alice", "bob"], top2.Matches.Select(m => m.Face.ExternalImageId));
    }

    [Fact]
    public async Task Search_arguments_outside_rekognitions_ranges_are_refused()
    {
        var collection = Create();
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => collection.SearchFacesByImageAsync(image, -1, 1, _cancellation));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => collection.SearchFacesByImageAsync(image, 100.5f, 1, _cancellation));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => collection.SearchFacesByImageAsync(image, 50, 0, _cancellation));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => collection.SearchFacesByImageAsync(image, 50, 4097, _cancellation));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => collection.ListFacesAsync(null, 0, _cancellation));
    }

    [Fact]
    public async Task Searching_by_face_id_leaves_the_face_itself_out()
    {
        var collection = Create();
        var first = (await collection.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice-1", _cancellation)).Indexed!;
        var second = (await collection.IndexFaceAsync(_analyzer.Image("alice again", ScriptedFace.Of(AliceAgain)), "alice-2", _cancellation)).Indexed!;
        await collection.IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _cancellation);

        var matches = await collection.SearchFacesAsync(first.FaceId, 80, 10, _cancellation);

        Assert.Equal(second, Assert.Single(matches).Face);
        Assert.Empty(await collection.SearchFacesAsync(Guid.NewGuid().ToString(), 0, 10, _cancellation));
        await Assert.ThrowsAsync<ArgumentException>(() => collection.SearchFacesAsync("not-a-face-id", 0, 10, _cancellation));
    }

    [Fact]
    public async Task Listing_pages_through_every_face_once_with_opaque_tokens()
    {
        var collection = Create();
        var indexed = new List<FaceRecord>();
        for (var i = 0; i < 7; i++)
        {
            var image = _analyzer.Image($"person {i}", ScriptedFace.Of(Alice));
            indexed.Add((await collection.IndexFaceAsync(image, $"person-{i}", _cancellation)).Indexed!);
        }

        var pages = new List<FacePage>();
        string? token = null;
        do
        {
            var page = await collection.ListFacesAsync(token, 3, _cancellation);
            pages.Add(page);
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Faces.Count));
        Assert.Equal(indexed, pages.SelectMany(p => p.Faces));
        Assert.Null((await collection.ListFacesAsync(null, 7, _cancellation)).NextToken);
        await Assert.ThrowsAsync<ArgumentException>(() => collection.ListFacesAsync("bm90IGEgdG9rZW4", 3, _cancellation));
        await Assert.ThrowsAsync<ArgumentException>(() => collection.ListFacesAsync("!!", 3, _cancellation));
    }

    [Fact]
    public async Task Deleting_returns_the_ids_that_existed_and_they_are_gone_from_search_list_and_file()
    {
        var collection = Create();
        var alice = (await collection.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _cancellation)).Indexed!;
        var bob = (await collection.IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _cancellation)).Indexed!;
        var unknown = Guid.NewGuid().ToString();

        var deleted = await collection.DeleteFacesAsync([alice.FaceId, unknown, alice.FaceId.ToUpperInvariant()], _cancellation);

        Assert.Equal([alice.FaceId], deleted);
        Assert.Empty((await collection.SearchFacesByImageAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), 50, 10, _cancellation)).Matches);
        Assert.Equal([bob], (await collection.ListFacesAsync(null, 10, _cancellation)).Faces);
        Assert.Equal(1, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount);
        Assert.Empty(await collection.DeleteFacesAsync([alice.FaceId], _cancellation));
        await Assert.ThrowsAsync<ArgumentException>(() => collection.DeleteFacesAsync(["nope"], _cancellation));

        // A fresh start loads only what is left.
        var reopened = Create();
        Assert.Equal([bob], (await reopened.ListFacesAsync(null, 10, _cancellation)).Faces);
        Assert.Equal(1, (await reopened.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task A_reopened_collection_searches_exactly_as_before()
    {
        var before = Create();
        await IndexAliceBobAndCarolAsync(before);

        var probe = _analyzer.Image("alice again", ScriptedFace.Of(AliceAgain));
        var expected = await before.SearchFacesByImageAsync(probe, 0, 10, _cancellation);
        var description = await before.DescribeCollectionAsync(_cancellation);
        before.Dispose();
        _collections.Remove(before);

        var after = Create(cacheSize: 0);
        var actual = await after.SearchFacesByImageAsync(probe, 0, 10, _cancellation);

        Assert.Equal(description, await after.DescribeCollectionAsync(_cancellation));
        Assert.Equal(expected.Matches, actual.Matches);
    }

    [Fact]
    public async Task A_collection_made_by_another_model_is_refused_with_a_clear_error()
    {
        var original = Create();
        await original.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _cancellation);

        var newer = new ScriptedFaceAnalyzer(modelVersion: "scripted-v2");
        var reopened = Create(analyzer: newer);
        var image = newer.Image("alice", ScriptedFace.Of(Alice));

        var error = await Assert.ThrowsAsync<FaceModelVersionMismatchException>(() => reopened.DescribeCollectionAsync(_cancellation));
        Assert.Contains("scripted-v1", error.Message);
        Assert.Contains("scripted-v2", error.Message);
        await Assert.ThrowsAsync<FaceModelVersionMismatchException>(() => reopened.SearchFacesByImageAsync(image, 0, 10, _cancellation));
        await Assert.ThrowsAsync<FaceModelVersionMismatchException>(() => reopened.IndexFaceAsync(image, "alice", _cancellation));

        // Nothing was written by the refused engine.
        Assert.Single((await Create().ListFacesAsync(null, 10, _cancellation)).Faces);
    }

    [Fact]
    public async Task A_broken_embedding_from_the_analyzer_stores_nothing()
    {
        var collection = Create();
        var image = _analyzer.Image("wrong length", ScriptedFace.Of([1, 0, 0]));

        await Assert.ThrowsAsync<InvalidOperationException>(() => collection.IndexFaceAsync(image, "x", _cancellation));

        Assert.Empty((await collection.ListFacesAsync(null, 10, _cancellation)).Faces);
        Assert.Equal(0, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task A_sign_up_sequence_on_one_image_analyses_it_once()
    {
        var collection = Create();
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice));
        var other = _analyzer.Image("bob", ScriptedFace.Of(Bob));

        await collection.DetectFacesAsync(image, _cancellation);
        await collection.SearchFacesByImageAsync(image, 80, 1, _cancellation);
        var indexed = await collection.IndexFaceAsync(image, "alice", _cancellation);
        Assert.Equal(1, _analyzer.Calls);

        // Different bytes are never answered from another image's analysis.
        var bobSearch = await collection.SearchFacesByImageAsync(other, 80, 1, _cancellation);
        Assert.Equal(2, _analyzer.Calls);
        Assert.Empty(bobSearch.Matches);
        Assert.Equal(indexed.Indexed?.FaceId, (await collection.SearchFacesByImageAsync(image, 80, 1, _cancellation)).Matches.Single().Face.FaceId);
    }

    [Fact]
    public async Task Without_the_cache_every_call_analyses()
    {
        var collection = Create(cacheSize: 0);
        var image = _analyzer.Image("alice", ScriptedFace.Of(Alice));

        await collection.DetectFacesAsync(image, _cancellation);
        await collection.SearchFacesByImageAsync(image, 80, 1, _cancellation);
        await collection.IndexFaceAsync(image, "alice", _cancellation);

        Assert.Equal(3, _analyzer.Calls);
    }

    [Fact]
    public async Task Concurrent_indexing_and_searching_keeps_file_and_index_in_step()
    {
        var collection = Create(cacheSize: 0);
        var factory = new VectorFactory(47);
        var images = Enumerable.Range(0, 40).Select(i => _analyzer.Image($"p{i}", ScriptedFace.Of(factory.Unit(8)))).ToList();

        await Task.WhenAll(images.Select((image, i) => Task.Run(async () =>
        {
            await collection.IndexFaceAsync(image, $"p{i}", _cancellation);
            await collection.SearchFacesByImageAsync(images[(i * 7) % images.Count], 0, 5, _cancellation);
        }, _cancellation)));

        var listed = await collection.ListFacesAsync(null, 100, _cancellation);
        Assert.Equal(40, listed.Faces.Count);
        Assert.Equal(40, (await collection.DescribeCollectionAsync(_cancellation))?.FaceCount);
        foreach (var face in listed.Faces)
        {
            // Every row is searchable, and each face finds its own image first.
            var image = images[int.Parse(face.ExternalImageId[1..], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(face.FaceId, (await collection.SearchFacesByImageAsync(image, 0, 1, _cancellation)).Matches[0].Face.FaceId);
        }
    }

    private async Task IndexAliceBobAndCarolAsync(LocalFaceCollection collection)
    {
        foreach (var (name, direction) in new[] { ("alice", Alice), ("bob", Bob), ("carol", Carol) })
        {
            await collection.IndexFaceAsync(_analyzer.Image(name, ScriptedFace.Of(direction)), name, _cancellation);
        }
    }

    private LocalFaceCollection Create(QualityFilter qualityFilter = QualityFilter.Auto, int cacheSize = 8, ScriptedFaceAnalyzer? analyzer = null)
    {
        var collection = new LocalFaceCollection(
            analyzer ?? _analyzer,
            _scale,
            Options.Create(new LocalCollectionOptions { CollectionId = "tests", QualityFilter = qualityFilter, AnalysisCacheSize = cacheSize }),
            Options.Create(new FaceLoginOptions { DataPath = _folder.Path }),
            TimeProvider.System,
            NullLogger<LocalFaceCollection>.Instance);
        _collections.Add(collection);
        return collection;
    }
}
