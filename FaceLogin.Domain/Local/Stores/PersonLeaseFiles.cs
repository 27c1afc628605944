namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// Per-person leases across the processes that share one data folder (the app, <c>import</c>, <c>reconcile</c>, a second app
/// instance): an exclusive lock on one of <see cref="Stripes"/> lock files, chosen by the person's id. The operating system
/// releases the lock when its holder dies, so a crashed holder never blocks anybody, and no lease outlives its process.
/// </summary>
/// <remarks>
/// Striped rather than one file per person: the files are never deleted (deleting a lock file while another process waits on
/// it is a race), and a fixed set leaves no file per person behind. Two people on one stripe only wait for each other, which
/// costs nothing measurable: a lease is held for one registration's writes or one deletion. .NET takes <see cref="FileShare.None"/>
/// as an advisory exclusive lock (<c>flock</c>) on Unix and as a share mode on Windows; both exclude other processes and other
/// handles in this one.
/// </remarks>
internal sealed class PersonLeaseFiles(string folder, TimeProvider time)
{
    public const int Stripes = 64;

    /// <summary>How long a caller waits for a lease before giving up, as the DynamoDB directory's lease does.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public async Task<IAsyncDisposable> HoldAsync(Guid personId, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{StripeOf(personId):x2}.lock");
        var waitUntil = time.GetUtcNow() + Wait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new Held(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException) when (time.GetUtcNow() < waitUntil)
            {
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Person {personId} was still being registered or deleted elsewhere after {Wait.TotalSeconds:0} s.", ex);
            }
        }
    }

    /// <summary>From the id's bytes, so every process picks the same stripe (ids are random, so the bytes spread evenly).</summary>
    private static int StripeOf(Guid personId)
    {
        Span<byte> bytes = stackalloc byte[16];
        personId.TryWriteBytes(bytes);
        return bytes[0] % Stripes;
    }

    private sealed class Held(FileStream lockFile) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => lockFile.DisposeAsync();
    }
}
