namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// The bounded queue in front of all face work (decode, detect, embed, search): at most
/// <see cref="FaceWorkOptions.EffectiveConcurrency"/> requests do face work at once, each on a dedicated thread
/// (<see cref="FaceWorkThreads"/>); a request that finds no place within <see cref="FaceWorkOptions.MaxWaitMilliseconds"/>
/// is refused with <see cref="FaceWorkBusyException"/> before anything of its image is touched. One per process (singleton).
/// </summary>
/// <remarks>
/// Every image call of the collection passes through <see cref="QueuedFaceCollection"/>, so nothing reaches the engine or
/// Rekognition around the queue. A door with a person in front of it takes its place first, for the request's whole face work
/// (<see cref="RunAsync{T}"/>, e.g. sign-in's detect and search): the request is then admitted or refused once, up front, and
/// a refusal costs nothing else (no lock-out slot, no attempt); the collection's calls inside it use that place.
/// </remarks>
public sealed class FaceWorkQueue : IDisposable
{
    private readonly SemaphoreSlim _places;
    private readonly FaceWorkThreads _threads;
    private readonly TimeSpan _maxWait;
    private readonly AsyncLocal<bool> _holdsPlace = new();

    public FaceWorkQueue(FaceWorkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Concurrency = options.EffectiveConcurrency;
        _places = new SemaphoreSlim(Concurrency, Concurrency);
        _threads = new FaceWorkThreads(Concurrency);
        _maxWait = options.MaxWaitMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(options.MaxWaitMilliseconds);
        RetryAfter = TimeSpan.FromSeconds(options.RetryAfterSeconds);
    }

    public int Concurrency { get; }

    /// <summary>What a refusal tells the caller to wait.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>
    /// Runs <paramref name="work"/> holding one place: waits at most the configured time for it, else throws
    /// <see cref="FaceWorkBusyException"/> without running anything. Face work inside (the collection's calls) uses this place;
    /// within a place already held this only runs the work.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_holdsPlace.Value)
        {
            return await work().ConfigureAwait(false);
        }

        if (!await _places.WaitAsync(_maxWait, cancellationToken).ConfigureAwait(false))
        {
            throw new FaceWorkBusyException(RetryAfter);
        }

        try
        {
            // Flows into the work's own awaits (an async local set here is seen by everything the work calls).
            _holdsPlace.Value = true;
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _places.Release();
        }
    }

    /// <summary>One call of face work: in the caller's place (or a new one), on a face-work thread.</summary>
    internal Task<T> RunOnFaceThreadAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(() => _threads.Run(work), cancellationToken);

    public void Dispose()
    {
        _threads.Dispose();
        _places.Dispose();
    }
}
