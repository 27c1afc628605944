using System.Text;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

public sealed class FaceAnalysisCacheTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void The_least_recently_used_entry_is_evicted_first()
    {
        var cache = new FaceAnalysisCache(capacity: 2, TimeSpan.FromMinutes(1), _time);
        var calls = 0;
        FaceAnalysis Analyse(string name) => cache.GetOrAnalyze(Bytes(name), EmbedFaces.None, () =>
        {
            calls++;
            return AnalysisOf(name);
        });

        Analyse("a");
        Analyse("b");
        Analyse("a"); // a is now the most recent
        Analyse("c"); // evicts b
        Assert.Equal(3, calls);
        Analyse("a");
        Assert.Equal(3, calls);
        Analyse("b");
        Assert.Equal(4, calls);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Entries_expire_after_their_lifetime_even_when_recently_used()
    {
        var cache = new FaceAnalysisCache(capacity: 4, TimeSpan.FromSeconds(30), _time);
        var calls = 0;
        void Analyse() => cache.GetOrAnalyze(Bytes("a"), EmbedFaces.None, () =>
        {
            calls++;
            return AnalysisOf("a");
        });

        Analyse();
        _time.Advance(TimeSpan.FromSeconds(29));
        Analyse();
        Assert.Equal(1, calls);
        _time.Advance(TimeSpan.FromSeconds(2));
        Analyse();
        Assert.Equal(2, calls);
    }

    [Fact]
    public void A_cached_analysis_without_embeddings_does_not_answer_a_request_for_them()
    {
        var cache = new FaceAnalysisCache(capacity: 4, TimeSpan.FromMinutes(1), _time);
        var asked = new List<EmbedFaces>();
        FaceAnalysis Analyse(EmbedFaces embed) => cache.GetOrAnalyze(Bytes("a"), embed, () =>
        {
            asked.Add(embed);
            return AnalysisOf("a");
        });

        Analyse(EmbedFaces.None);
        Analyse(EmbedFaces.Largest);
        Analyse(EmbedFaces.None);
        Analyse(EmbedFaces.Largest);
        Analyse(EmbedFaces.All);
        Analyse(EmbedFaces.Largest);

        Assert.Equal([EmbedFaces.None, EmbedFaces.Largest, EmbedFaces.All], asked);
    }

    [Fact]
    public void Failures_are_not_cached_and_a_zero_capacity_cache_always_analyses()
    {
        var cache = new FaceAnalysisCache(capacity: 4, TimeSpan.FromMinutes(1), _time);
        Assert.Throws<FaceImageRejectedException>(() => cache.GetOrAnalyze(Bytes("bad"), EmbedFaces.None,
            () => throw new FaceImageRejectedException(ImageProblem.Corrupt, "corrupt")));
        Assert.Equal(0, cache.Count);

        var off = new FaceAnalysisCache(capacity: 0, TimeSpan.FromMinutes(1), _time);
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            off.GetOrAnalyze(Bytes("a"), EmbedFaces.None, () => AnalysisOf("a", ++calls));
        }

        Assert.Equal(3, calls);
        Assert.Equal(0, off.Count);
    }

    [Fact]
    public async Task Under_concurrent_use_every_caller_gets_its_own_images_analysis()
    {
        var cache = new FaceAnalysisCache(capacity: 8, TimeSpan.FromMinutes(1), _time);
        var names = Enumerable.Range(0, 64).Select(i => $"image {i}").ToList();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() =>
        {
            var name = names[i % names.Count];
            var analysis = cache.GetOrAnalyze(Bytes(name), (EmbedFaces)(i % 3), () => AnalysisOf(name));
            return analysis.ImageWidth == Width(name);
        }, TestContext.Current.CancellationToken)));

        Assert.All(outcomes, Assert.True);
        Assert.InRange(cache.Count, 1, 8);
    }

    private static ReadOnlyMemory<byte> Bytes(string name) => Encoding.UTF8.GetBytes(name);

    /// <summary>The name is written into the analysis (as its width), so a wrong hit is visible.</summary>
    private static FaceAnalysis AnalysisOf(string name, int height = 1) => new(Width(name), height, []);

    private static int Width(string name) => name.GetHashCode(StringComparison.Ordinal) & 0x7FFFFFFF;

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
