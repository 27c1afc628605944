using System.Collections.Concurrent;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// A fixed set of dedicated threads that face work runs on. The engine decodes and runs ONNX synchronously inside its
/// Task-returning methods, so on the thread pool each request in progress would hold a pool thread for its whole 30–60 ms
/// (or seconds, for a large photo); with a few of them the pool has no thread left for Kestrel, and pages, static files and
/// the admin wait for the pool to grow (one thread a second or so). Here the pool only awaits; the work has its own threads.
/// </summary>
internal sealed class FaceWorkThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queued = new();
    private readonly Thread[] _threads;

    public FaceWorkThreads(int count)
    {
        _threads = new Thread[Math.Max(1, count)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(RunQueued) { IsBackground = true, Name = $"face-work-{i}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>
    /// Starts <paramref name="work"/> on one of these threads. Its synchronous part (decoding, inference) runs there; what it
    /// awaits after that (storage) continues wherever it completes. Tasks it starts itself go to the default scheduler.
    /// </summary>
    public Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.HideScheduler | TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public void Dispose() => _queued.CompleteAdding();

    protected override void QueueTask(Task task) => _queued.Add(task);

    // Never inline on a caller's thread: that would put the work back on the pool thread that waits for it.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queued.ToArray();

    private void RunQueued()
    {
        foreach (var task in _queued.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
