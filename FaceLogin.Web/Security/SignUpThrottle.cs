using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Sign-ups per client address: at most <see cref="FaceLoginWebOptions.SignUpPermitLimit"/> registration attempts in any
/// <see cref="FaceLoginWebOptions.SignUpWindowSeconds"/> span, checked before any face work. Sign-up runs inside a circuit,
/// where ASP.NET's rate-limiting middleware never sees it, so the page asks this instead. It bounds the engine work and the
/// write gate one address can take from everybody's sign-ups, and the accounts it can create; the domain's lock-out bounds how
/// many face questions an address gets answered (<c>RegistrationRequest.ClientAddress</c>). Singleton: one count per process.
/// </summary>
/// <remarks>
/// A sliding log, not a fixed window: a fixed window lets a script spend the whole allowance just before a window ends and again
/// just after, twice the limit within seconds. Here each attempt's time is kept until it is a window old, so no span of one
/// window ever holds more than the limit. Memory is at most the limit's worth of times per address seen in the last window
/// (sign-ups are seconds of face work each, so one lock is no bottleneck); addresses whose times have all expired are dropped.
/// </remarks>
public sealed class SignUpThrottle(IOptions<FaceLoginWebOptions> options, TimeProvider time)
{
    public const string Message = "Too many sign-ups from your network. Please wait a few minutes, then try again.";

    private readonly Dictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>True when the address may try a sign-up now (and that try is counted).</summary>
    public bool TryAcquire(string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        var settings = options.Value;
        var window = TimeSpan.FromSeconds(settings.SignUpWindowSeconds);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            SweepExpiredAddresses(now, window);
            if (!_attempts.TryGetValue(clientAddress, out var times))
            {
                times = new Queue<DateTimeOffset>();
                _attempts[clientAddress] = times;
            }

            DropExpired(times, now, window);
            if (times.Count >= settings.SignUpPermitLimit)
            {
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }

    /// <summary>Once per window, forgets addresses with nothing left in it, so addresses seen once do not pile up.</summary>
    private void SweepExpiredAddresses(DateTimeOffset now, TimeSpan window)
    {
        if (now - _lastSweep < window)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (address, times) in _attempts)
        {
            DropExpired(times, now, window);
            if (times.Count == 0)
            {
                _attempts.Remove(address);
            }
        }
    }

    private static void DropExpired(Queue<DateTimeOffset> times, DateTimeOffset now, TimeSpan window)
    {
        while (times.TryPeek(out var oldest) && oldest <= now - window)
        {
            times.Dequeue();
        }
    }

    /// <summary>How many addresses are remembered (for tests of the sweep).</summary>
    internal int AddressCount
    {
        get
        {
            lock (_lock)
            {
                return _attempts.Count;
            }
        }
    }
}
