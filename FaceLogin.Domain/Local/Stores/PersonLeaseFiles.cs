using System.Diagnostics;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// Per-person leases across the processes that share one data folder (the app, <c>import</c>, <c>reconcile</c>, a second app
/// instance): an exclusive lock on one of <see cref="Stripes"/> lock files, chosen by the person's id. The operating system
/// releases the lock when its holder dies, so a crashed holder never blocks anybody, and no lease outlives its process.
/// </summary>
/// <remarks>
/// <para>
/// Striped rather than one file per person: the files are never deleted (deleting a lock file while another process waits on
/// it is a race), and a fixed set leaves no file per person behind. Two people on one stripe only wait for each other, which
/// costs little: a lease is held for one registration's writes or one deletion. .NET takes <see cref="FileShare.None"/> as an
/// advisory exclusive lock (<c>flock</c>) on Unix and as a share mode on Windows; both exclude other processes.
/// </para>
/// <para>
/// Within the process a semaphore per stripe comes first, so waiters here queue without polling; only a lock held by another
/// process (or another instance on the same file) is polled for. The wait is in real time, whatever clock the directory is
/// given: it waits for other processes, which run on the real one.
/// </para>
/// </remarks>
internal sealed class PersonLeaseFiles(string folder, TimeSpan wait)
{
    public const int Stripes = 64;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim[] _stripeGates = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IAsyncDisposable> HoldAsync(Guid personId, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(personId);
        var waited = Stopwatch.StartNew();
        if (!await _stripeGates[stripe].WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            throw Busy(personId, null);
        }

        try
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{stripe:x2}.lock");
            while (true)
            {
                try
                {
                    return new Held(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), _stripeGates[stripe]);
                }
                catch (IOException ex) when (File.Exists(path))
                {
                    // Locked by another process (a file that cannot be created at all is a different failure, passed on).
                    if (waited.Elapsed >= wait)
                    {
                        throw Busy(personId, ex);
                    }

                    await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _stripeGates[stripe].Release();
            throw;
        }
    }

    private TimeoutException Busy(Guid personId, Exception? inner) =>
        new($"Person {personId} was still being registered or deleted elsewhere after {wait.TotalSeconds:0} s.", inner);

    /// <summary>From the id's bytes, so every process picks the same stripe (ids are random, so the bytes spread evenly).</summary>
    private static int StripeOf(Guid personId)
    {
        Span<byte> bytes = stackalloc byte[16];
        personId.TryWriteBytes(bytes);
        return bytes[0] % Stripes;
    }

    private sealed class Held(FileStream lockFile, SemaphoreSlim gate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await lockFile.DisposeAsync().ConfigureAwait(false);
            gate.Release();
        }
    }
}
