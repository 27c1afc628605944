using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;

namespace FaceLogin.Tests.Domain.Faces.Cost;

/// <summary>
/// The bounded queue in front of all face work (issue 9, point 1): saturation made exact with a gate in a test double of the
/// collection (a call holds its place until the test opens the gate), never with sleeps.
/// </summary>
public sealed class FaceWorkQueueTests : IDisposable
{
    private readonly GatedFaceCollection gated = new(new FakeFaceCollection());
    private readonly FaceWorkQueue queue = new(new FaceWorkOptions { MaxConcurrency = 1, MaxWaitMilliseconds = 0, RetryAfterSeconds = 3 });

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        gated.Open();
        queue.Dispose();
    }

    [Fact]
    public async Task When_every_place_is_taken_the_next_image_call_is_refused_as_busy_without_reaching_the_collection()
    {
        var faces = new QueuedFaceCollection(gated, queue);
        var first = faces.DetectFacesAsync(FakeFaceImages.Of("ada"), Cancellation);
        await gated.Entered.WaitAsync(Cancellation);

        var busy = await Assert.ThrowsAsync<FaceWorkBusyException>(() => faces.SearchFacesByImageAsync(FakeFaceImages.Of("bo"), 0, 5, Cancellation));

        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);
        Assert.Equal(1, gated.Calls);
        gated.Open();
        Assert.Single((await first).Faces);
        Assert.Single((await faces.DetectFacesAsync(FakeFaceImages.Of("bo"), Cancellation)).Faces);
    }

    [Fact]
    public async Task Calls_that_touch_no_image_are_never_queued()
    {
        var faces = new QueuedFaceCollection(gated, queue);
        var holder = faces.DetectFacesAsync(FakeFaceImages.Of("ada"), Cancellation);
        await gated.Entered.WaitAsync(Cancellation);

        Assert.Empty((await faces.ListFacesAsync(null, 10, Cancellation)).Faces);
        Assert.Empty(await faces.DeleteFacesAsync(["nobody"], Cancellation));

        gated.Open();
        await holder;
    }

    [Fact]
    public async Task A_door_holding_a_place_runs_all_its_calls_in_it_and_a_second_door_is_refused_up_front()
    {
        var faces = new QueuedFaceCollection(gated, queue);
        gated.Open();
        var doorGate = new TaskCompletionSource();

        var door = queue.RunAsync(async () =>
        {
            await faces.DetectFacesAsync(FakeFaceImages.Of("ada"), Cancellation);
            await doorGate.Task;
            return (await faces.SearchFacesByImageAsync(FakeFaceImages.Of("ada"), 0, 5, Cancellation)).SearchedFace;
        }, Cancellation);
        await gated.Entered.WaitAsync(Cancellation);

        await Assert.ThrowsAsync<FaceWorkBusyException>(() => queue.RunAsync(() => Task.FromResult(0), Cancellation));

        doorGate.SetResult();
        Assert.NotNull(await door);
        Assert.Equal(2, gated.Calls);
    }

    [Fact]
    public async Task Face_work_runs_on_its_own_threads_not_on_the_thread_pool_that_serves_pages()
    {
        var faces = new QueuedFaceCollection(gated, queue);
        gated.Open();

        await faces.DetectFacesAsync(FakeFaceImages.Of("ada"), Cancellation);

        Assert.False(gated.RanOnPoolThread);
        Assert.StartsWith("face-work-", gated.RanOnThreadNamed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_unbounded_wait_a_command_waits_for_its_turn_instead_of_being_refused()
    {
        using var patient = new FaceWorkQueue(new FaceWorkOptions { MaxConcurrency = 1, MaxWaitMilliseconds = Timeout.Infinite });
        var faces = new QueuedFaceCollection(gated, patient);
        var first = faces.DetectFacesAsync(FakeFaceImages.Of("ada"), Cancellation);
        await gated.Entered.WaitAsync(Cancellation);

        var second = faces.DetectFacesAsync(FakeFaceImages.Of("bo"), Cancellation);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, gated.Calls);

        gated.Open();
        await first;
        Assert.Single((await second).Faces);
    }

    [Fact]
    public void Every_mode_registers_the_collection_behind_the_queue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FaceLogin:FaceWork:MaxConcurrency"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddFaceWorkQueue(configuration);
        services.AddQueuedFaceCollection(_ => gated);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<QueuedFaceCollection>(provider.GetRequiredService<IFaceCollection>());
        Assert.Equal(3, provider.GetRequiredService<FaceWorkQueue>().Concurrency);
    }

    /// <summary>TEST DOUBLE: passes image calls to the inner collection once <see cref="Open"/> is called; until then each waits at the gate.</summary>
    private sealed class GatedFaceCollection(IFaceCollection inner) : IFaceCollection
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Entered => _entered.Task;

        public int Calls => Volatile.Read(ref _calls);

        public bool RanOnPoolThread { get; private set; } = true;

        public string RanOnThreadNamed { get; private set; } = "";

        public void Open() => _gate.TrySetResult();

        public string CollectionId => inner.CollectionId;

        public Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken) => inner.EnsureCollectionAsync(cancellationToken);

        public Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken) => inner.DescribeCollectionAsync(cancellationToken);

        public async Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await inner.DetectFacesAsync(image, cancellationToken);
        }

        public async Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await inner.IndexFaceAsync(image, externalImageId, cancellationToken);
        }

        public async Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await inner.IndexFaceWithoutQualityFilterAsync(image, externalImageId, cancellationToken);
        }

        public async Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await inner.SearchFacesByImageAsync(image, similarityThreshold, maxFaces, cancellationToken);
        }

        public Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken) =>
            inner.SearchFacesAsync(faceId, similarityThreshold, maxFaces, cancellationToken);

        public Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken) => inner.ListFacesAsync(nextToken, maxResults, cancellationToken);

        public Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken) => inner.DeleteFacesAsync(faceIds, cancellationToken);

        /// <summary>Notes the thread the call started on (where the engine would decode and infer), then waits at the gate.</summary>
        private Task EnterAsync()
        {
            RanOnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
            RanOnThreadNamed = Thread.CurrentThread.Name ?? "";
            Interlocked.Increment(ref _calls);
            _entered.TrySetResult();
            return _gate.Task;
        }
    }
}
