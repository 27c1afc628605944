using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Bridges the interactive sign-up page (which cannot set a cookie: its response started long ago) to an HTTP request
/// that can. After a successful registration the page gets a ticket and does a full page load of
/// <c>/auth/complete?ticket=…</c>, whose endpoint redeems it and sets the cookie.
/// <para>
/// A ticket is the person id and a random nonce, encrypted and signed by a purpose-scoped, time-limited data protector
/// (it cannot be forged or altered, and it expires after <see cref="FaceLoginWebOptions.SignInTicketSeconds"/>).
/// The nonce is also held here until redeemed or expired, so each ticket works exactly once, even within its lifetime.
/// Singleton: the nonce store lives in this process (one instance; see docs/architecture.md for scaling out).
/// </para>
/// </summary>
public sealed class SignInTickets(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<FaceLoginWebOptions> options)
{
    private const string Purpose = "FaceLogin.SignInTicket.v1";

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>Nonce → when it stops being redeemable.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _outstanding = new(StringComparer.Ordinal);

    public string Issue(Guid personId)
    {
        var now = time.GetUtcNow();
        RemoveExpired(now);

        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var expires = now.AddSeconds(options.Value.SignInTicketSeconds);
        _outstanding[nonce] = expires;
        return _protector.Protect(personId.ToString("N", CultureInfo.InvariantCulture) + "." + nonce, expires);
    }

    /// <summary>The person the ticket was issued for, or null when it is forged, altered, expired or already used.</summary>
    public Guid? Redeem(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 1024)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(ticket, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('.');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var personId))
        {
            return null;
        }

        // TryRemove is the single-use guarantee: of two concurrent redemptions only one removes the nonce.
        if (!_outstanding.TryRemove(parts[1], out var expires) || expires <= time.GetUtcNow())
        {
            return null;
        }

        return personId;
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (nonce, expires) in _outstanding)
        {
            if (expires <= now)
            {
                _outstanding.TryRemove(nonce, out _);
            }
        }
    }
}
