using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Sign-ups per client address: at most <see cref="FaceLoginWebOptions.SignUpPermitLimit"/> registration attempts in any
/// <see cref="FaceLoginWebOptions.SignUpWindowSeconds"/> span, checked before any face work. Sign-up runs inside a circuit,
/// where ASP.NET's rate-limiting middleware never sees it, so the page asks this instead. It bounds the engine work and the
/// write gate one address can take from everybody's sign-ups, and the accounts it can create; the domain's lock-out bounds how
/// many face questions an address gets answered (<c>RegistrationRequest.ClientAddress</c>). Singleton: one count per process.
/// A sliding log (<see cref="AddressSlidingLog"/>: no burst at a window's edge); sign-ups are seconds of face work each, so
/// one lock is no bottleneck.
/// </summary>
public sealed class SignUpThrottle(IOptions<FaceLoginWebOptions> options, TimeProvider time)
{
    public const string Message = "Too many sign-ups from your network. Please wait a few minutes, then try again.";

    private readonly AddressSlidingLog _attempts = new();
    private readonly Lock _lock = new();

    /// <summary>True when the address may try a sign-up now (and that try is counted).</summary>
    public bool TryAcquire(string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        var settings = options.Value;
        lock (_lock)
        {
            return _attempts.TryAdd(
                clientAddress, weight: 1, settings.SignUpPermitLimit, time.GetUtcNow(), TimeSpan.FromSeconds(settings.SignUpWindowSeconds), out _);
        }
    }

    /// <summary>How many addresses are remembered (for tests of the sweep).</summary>
    internal int AddressCount
    {
        get
        {
            lock (_lock)
            {
                return _attempts.AddressCount;
            }
        }
    }
}
