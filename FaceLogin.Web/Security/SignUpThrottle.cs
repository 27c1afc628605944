using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Sign-ups per client address: at most <see cref="FaceLoginWebOptions.SignUpPermitLimit"/> registration attempts in each
/// <see cref="FaceLoginWebOptions.SignUpWindowSeconds"/> window, checked before any face work. Sign-up runs inside a circuit,
/// where ASP.NET's rate-limiting middleware never sees it, so the page asks this instead. It bounds the engine work and the
/// write gate one address can take from everybody's sign-ups, and the accounts it can create; the domain's lock-out bounds how
/// often "already registered" can be asked (<c>RegistrationRequest.ClientAddress</c>). Singleton: one count per process.
/// </summary>
public sealed class SignUpThrottle : IDisposable
{
    public const string Message = "Too many sign-ups from your network. Please wait a few minutes, then try again.";

    private readonly PartitionedRateLimiter<string> _limiter;

    public SignUpThrottle(IOptions<FaceLoginWebOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.SignUpPermitLimit,
                Window = TimeSpan.FromSeconds(settings.SignUpWindowSeconds),
                QueueLimit = 0,
            }));
    }

    /// <summary>True when the address may try a sign-up now (and that try is counted).</summary>
    public bool TryAcquire(string clientAddress)
    {
        using var lease = _limiter.AttemptAcquire(clientAddress);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
