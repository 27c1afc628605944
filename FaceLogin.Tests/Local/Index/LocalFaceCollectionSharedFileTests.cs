using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// Review-2 S3: several collections on one data folder (the app, the <c>import</c> verb, a second instance, an admin tool),
/// each with its own in-memory index and its own SQLite connections. What one writes, the others must search.
/// </summary>
public sealed class LocalFaceCollectionSharedFileTests : IDisposable
{
    private static readonly float[] Alice = [1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly float[] AliceAgain = [0.95f, 0.3f, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Bob = [0.6f, 0.8f, 0, 0, 0, 0, 0, 0];

    private readonly CollectionsOnOneFolder _instances = new();
    private readonly ScriptedFaceAnalyzer _analyzer = new();
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;

    public void Dispose() => _instances.Dispose();

    [Fact]
    public async Task A_face_indexed_by_another_instance_is_found_by_the_running_one()
    {
        var app = Create();
        var import = Create();
        var alice = _analyzer.Image("alice", ScriptedFace.Of(Alice));
        await app.EnsureCollectionAsync(_cancellation); // running: the index is loaded

        var indexed = (await import.IndexFaceAsync(alice, "imported-person", _cancellation)).Indexed!;

        var match = Assert.Single((await app.SearchFacesByImageAsync(alice, 80, 1, _cancellation)).Matches);
        Assert.Equal(indexed, match.Face);
        Assert.Equal(1, (await app.DescribeCollectionAsync(_cancellation))?.FaceCount);
        var bob = (await app.IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _cancellation)).Indexed!;
        Assert.Equal([indexed.FaceId], (await app.SearchFacesAsync(bob.FaceId, 0, 10, _cancellation)).Select(m => m.Face.FaceId));
    }

    [Fact]
    public async Task A_face_deleted_by_another_instance_is_gone_from_the_running_ones_index()
    {
        var app = Create();
        var admin = Create();
        var alice = (await app.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _cancellation)).Indexed!;
        var bob = (await app.IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _cancellation)).Indexed!;
        var aliceAgain = _analyzer.Image("alice again", ScriptedFace.Of(AliceAgain));
        Assert.Equal(alice.FaceId, (await app.SearchFacesByImageAsync(aliceAgain, 0, 1, _cancellation)).Matches.Single().Face.FaceId);

        Assert.Equal([alice.FaceId], await admin.DeleteFacesAsync([alice.FaceId], _cancellation));

        // Not merely filtered out after the search: the index no longer holds her, so the best of the rest comes first.
        Assert.Equal(bob.FaceId, (await app.SearchFacesByImageAsync(aliceAgain, 0, 1, _cancellation)).Matches.Single().Face.FaceId);
        Assert.Empty(await app.SearchFacesAsync(bob.FaceId, 0, 10, _cancellation));
        Assert.Equal(1, (await app.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task A_deletion_by_another_instance_clears_the_running_ones_analysis_cache()
    {
        var app = Create();
        var admin = Create();
        var alice = _analyzer.Image("alice", ScriptedFace.Of(Alice));
        var indexed = (await app.IndexFaceAsync(alice, "alice", _cancellation)).Indexed!;
        var calls = _analyzer.Calls;
        await app.SearchFacesByImageAsync(alice, 80, 1, _cancellation);
        Assert.Equal(calls, _analyzer.Calls); // the indexing's analysis was reused

        await admin.DeleteFacesAsync([indexed.FaceId], _cancellation);

        Assert.Empty((await app.SearchFacesByImageAsync(alice, 80, 1, _cancellation)).Matches);
        Assert.Equal(calls + 1, _analyzer.Calls); // that analysis (an embedding) did not outlive the deletion
    }

    [Fact]
    public async Task Two_apps_wired_by_dependency_injection_on_one_data_folder_see_each_others_writes()
    {
        await using var first = Container();
        await using var second = Container();
        var one = first.GetRequiredService<IFaceCollection>();
        var two = second.GetRequiredService<IFaceCollection>();
        var alice = _analyzer.Image("alice", ScriptedFace.Of(Alice));
        await one.EnsureCollectionAsync(_cancellation);
        await two.EnsureCollectionAsync(_cancellation);

        var indexed = (await two.IndexFaceAsync(alice, "alice", _cancellation)).Indexed!;
        Assert.Equal(indexed, (await one.SearchFacesByImageAsync(alice, 80, 1, _cancellation)).Matches.Single().Face);

        await one.DeleteFacesAsync([indexed.FaceId], _cancellation);
        Assert.Empty((await two.SearchFacesByImageAsync(alice, 0, 10, _cancellation)).Matches);
        Assert.Equal(0, (await two.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task A_collection_created_by_another_instance_after_opening_is_described()
    {
        var app = Create();
        Assert.Null(await app.DescribeCollectionAsync(_cancellation));

        await Create().IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _cancellation);

        Assert.Equal(1, (await app.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    [Fact]
    public async Task While_searches_run_every_face_another_instance_adds_is_found_and_every_face_it_deletes_is_not()
    {
        var app = Create(new LocalCollectionOptions { CollectionId = "tests", AnalysisCacheSize = 0 });
        var writer = Create();
        var random = new Random(7);
        await app.EnsureCollectionAsync(_cancellation);
        var background = _analyzer.Image("background", ScriptedFace.Of(Alice));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
        var backgroundSearches = 0;
        var searching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Searches racing the catch-ups that the writer's commits cause.
        var searchers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await app.SearchFacesByImageAsync(background, 0, 5, CancellationToken.None);
                Interlocked.Increment(ref backgroundSearches);
                searching.TrySetResult();
            }
        }, _cancellation)).ToArray();

        // On a busy machine the searchers may not have started yet: the writer's changes must race real searches.
        await searching.Task.WaitAsync(TimeSpan.FromSeconds(30), _cancellation);

        for (var i = 0; i < 40; i++)
        {
            var face = _analyzer.Image($"person {i}", ScriptedFace.Of(RandomDirection(random)));
            var indexed = (await writer.IndexFaceAsync(face, $"person-{i}", _cancellation)).Indexed!;
            Assert.Equal(indexed.FaceId, Assert.Single((await app.SearchFacesByImageAsync(face, 99.9f, 5, _cancellation)).Matches).Face.FaceId);

            await writer.DeleteFacesAsync([indexed.FaceId], _cancellation);
            Assert.Empty((await app.SearchFacesByImageAsync(face, 99.9f, 5, _cancellation)).Matches);
        }

        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        Assert.True(backgroundSearches > 0);
        Assert.Equal(0, (await app.DescribeCollectionAsync(_cancellation))?.FaceCount);
    }

    private static float[] RandomDirection(Random random) =>
        UnitVector.Normalize(Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());

    private LocalFaceCollection Create(LocalCollectionOptions? options = null) =>
        _instances.Open(_analyzer, new SimilarityScale(cosineAtZero: 0.1f, cosineAtHundred: 1.0f), options ?? new LocalCollectionOptions { CollectionId = "tests" });

    /// <summary>A whole app's collection wiring (<see cref="LocalCollectionServiceCollectionExtensions.AddLocalFaceCollection"/>), sharing this test's folder and analyzer.</summary>
    private ServiceProvider Container()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _instances.Folder.Path })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<FaceLoginOptions>().Bind(configuration.GetSection(FaceLoginOptions.SectionName));
        services.AddSingleton<IFaceAnalyzer>(_analyzer);
        services.AddLocalFaceCollection(configuration);
        return services.BuildServiceProvider();
    }
}
