using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// The known-device cookie (OWASP's "device cookies"): set by every successful face sign-in (and the sign-up's first one), it
/// tells a later sign-in from this browser which person signed in on it before. Only a delayed address looks at it: there it
/// turns a refusal into a 1:1 verification against that person (<see cref="Domain.Authentication.AuthenticationRequest.KnownDevicePersonId"/>),
/// so other people's misses behind the same address never keep the person out (docs/architecture.md, "Throttling").
/// </summary>
/// <remarks>
/// <para>
/// The value is the person id, a random 128-bit nonce (every issue is a different cookie) and the issue time, encrypted and signed by a
/// purpose-scoped, time-limited data protector: it names nobody readable, cannot be forged or altered, and expires after
/// <see cref="FaceLoginWebOptions.KnownDeviceDays"/>. HttpOnly, SameSite=Strict, only sent to <c>/auth</c>, Secure under the auth
/// cookie's own rule (<see cref="Extensions.TransportSecurityExtensions"/>).
/// </para>
/// <para>
/// Sign-out leaves it: it identifies the device, not a session, and grants nothing by itself (the face must still be its
/// person's). Deleting the person makes it useless (nobody to verify against); suspending them too. One person per browser: the
/// last one to sign in on it.
/// </para>
/// </remarks>
public sealed class KnownDeviceCookie(
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    IOptions<FaceLoginWebOptions> options,
    IOptionsMonitor<CookieAuthenticationOptions> authCookies)
{
    public const string CookieName = "FaceLogin.Device";

    /// <summary>Sent only where it is read and written: the sign-in endpoints.</summary>
    public const string CookiePath = "/auth";

    private const string Purpose = "FaceLogin.KnownDevice.v1";

    /// <summary>Far more than a protected payload of three short fields; anything longer is not ours.</summary>
    private const int MaxCookieLength = 1024;

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private TimeSpan Lifetime => TimeSpan.FromDays(options.Value.KnownDeviceDays);

    /// <summary>Marks the browser of this response as a known device of the person (a fresh cookie, replacing any other).</summary>
    public void Issue(HttpContext context, Guid personId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var issuedAt = time.GetUtcNow();
        var cookie = new CookieBuilder
        {
            Name = CookieName,
            Path = CookiePath,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            SecurePolicy = authCookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie.SecurePolicy,
            Expiration = Lifetime,
        };
        context.Response.Cookies.Append(CookieName, Protect(personId, issuedAt), cookie.Build(context, issuedAt));
    }

    /// <summary>The person the request's device cookie names, or null when there is none or it is forged, altered or expired.</summary>
    public Guid? PersonOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value) || value.Length > MaxCookieLength)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value, out _);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Forged, altered, expired, from other keys, or not even base64url: no known device.
            return null;
        }

        var parts = payload.Split('.');
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var personId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedSeconds))
        {
            return null;
        }

        // Checked here too, on the app's clock: a lifetime shortened since the cookie was issued holds at once.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedSeconds);
        return time.GetUtcNow() < issuedAt + Lifetime ? personId : null;
    }

    /// <summary>The protected value for a device of the person issued at <paramref name="issuedAt"/>.</summary>
    internal string Protect(Guid personId, DateTimeOffset issuedAt)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var payload = string.Join('.', personId.ToString("N", CultureInfo.InvariantCulture), nonce,
            issuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return _protector.Protect(payload, issuedAt + Lifetime);
    }
}
