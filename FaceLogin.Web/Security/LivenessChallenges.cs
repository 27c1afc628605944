using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FaceLogin.Domain.Faces.Liveness;
using Microsoft.AspNetCore.DataProtection;

namespace FaceLogin.Web.Security;

/// <summary>
/// Hands a <see cref="HeadMovementChallenge"/> to the page as a token and takes it back, once, from the same browser.
/// <para>
/// The token is the challenge id, its steps, when it was issued and a hash of the browser's binding, encrypted and signed by
/// a purpose-scoped, time-limited data protector (it cannot be forged or altered, and it expires with the challenge), the
/// same pattern as <see cref="SignInTickets"/>. The id is also held here until redeemed or expired, so each challenge is
/// answered at most once, even within its lifetime. Singleton: the store lives in this process.
/// </para>
/// <para>
/// The binding: the caller passes the value of the request's antiforgery cookie. It is the simplest sound per-browser
/// secret here: both the request that issues a challenge and the one that answers it are antiforgery-checked POSTs, so the
/// cookie is there both times, unchanged for the browser's session; it is HttpOnly, so the page's script cannot read it
/// to move a challenge to another browser (or a relay); and it exists before sign-in, where the session cookie does not.
/// Only its SHA-256 goes into the token, so the token does not carry the secret it is bound to.
/// </para>
/// </summary>
public sealed class LivenessChallenges(IDataProtectionProvider dataProtection, TimeProvider time, HeadMovementChallengeFactory factory)
{
    private const string Purpose = "FaceLogin.LivenessChallenge.v1";

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>Challenge id → when it stops being redeemable.</summary>
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _outstanding = new();

    /// <summary>A new challenge and the token that stands for it, bound to <paramref name="binding"/>.</summary>
    public (HeadMovementChallenge Challenge, string Token) Issue(string binding)
    {
        ArgumentException.ThrowIfNullOrEmpty(binding);

        var now = time.GetUtcNow();
        RemoveExpired(now);

        var challenge = factory.Create();
        _outstanding[challenge.Id] = challenge.ExpiresAt;
        var payload = string.Join('.',
            challenge.Id.ToString("N", CultureInfo.InvariantCulture),
            string.Join(',', challenge.Steps),
            challenge.IssuedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            challenge.ExpiresAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexString(Hash(binding)));
        return (challenge, _protector.Protect(payload, challenge.ExpiresAt));
    }

    /// <summary>
    /// The challenge the token stands for, or null when it is forged, altered, expired, already redeemed, or was issued to
    /// a browser with another <paramref name="binding"/>.
    /// </summary>
    public HeadMovementChallenge? Redeem(string? token, string? binding)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || string.IsNullOrEmpty(binding))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var challenge = Parse(payload, out var boundTo);
        if (challenge is null || !CryptographicOperations.FixedTimeEquals(boundTo, Hash(binding)))
        {
            return null;
        }

        // Checked after the binding, so another browser holding a stolen token cannot use up the owner's challenge.
        // TryRemove is the single-use guarantee: of two concurrent redemptions only one removes the id.
        if (!_outstanding.TryRemove(challenge.Id, out var expires) || expires <= time.GetUtcNow())
        {
            return null;
        }

        return challenge;
    }

    private static HeadMovementChallenge? Parse(string payload, out byte[] boundTo)
    {
        boundTo = [];
        var parts = payload.Split('.');
        if (parts.Length != 5
            || !Guid.TryParseExact(parts[0], "N", out var id)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var steps = new List<HeadMovement>();
        foreach (var step in parts[1].Split(','))
        {
            if (!Enum.TryParse<HeadMovement>(step, ignoreCase: false, out var movement) || !Enum.IsDefined(movement))
            {
                return null;
            }

            steps.Add(movement);
        }

        try
        {
            boundTo = Convert.FromHexString(parts[4]);
            return new HeadMovementChallenge(id, steps, new DateTimeOffset(issued, TimeSpan.Zero), new DateTimeOffset(expires, TimeSpan.Zero));
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static byte[] Hash(string binding) => SHA256.HashData(Encoding.UTF8.GetBytes(binding));

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (id, expires) in _outstanding)
        {
            if (expires <= now)
            {
                _outstanding.TryRemove(id, out _);
            }
        }
    }
}
