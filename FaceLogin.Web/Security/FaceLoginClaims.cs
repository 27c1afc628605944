using System.Globalization;
using System.Security.Claims;
using FaceLogin.Domain.Ports;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FaceLogin.Web.Security;

/// <summary>
/// What the auth cookie says about a person: their id, their name, the session version and registration time it was issued at,
/// and the admin role when they hold it.
/// </summary>
public static class FaceLoginClaims
{
    public const string AdminRole = "admin";

    /// <summary>The person's <see cref="Person.SessionVersion"/> when the cookie was issued: signing out raises it, ending this cookie.</summary>
    public const string SessionVersionClaim = "facelogin:session-version";

    /// <summary>
    /// The person's <see cref="Person.RegisteredAt"/> (Unix milliseconds) when the cookie was issued. A person deleted and created
    /// again under the same id (an import derives the id from the image key) starts again at session version 0, so the version
    /// alone would let a cookie from before the deletion back in; the new record's registration time tells the two apart.
    /// </summary>
    public const string RegisteredAtClaim = "facelogin:registered-at";

    public static ClaimsPrincipal CreatePrincipal(Person person, bool isAdmin)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, person.Id.ToString("D", CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, person.FullName),
            new(SessionVersionClaim, person.SessionVersion.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            new(RegisteredAtClaim, RegisteredAtOf(person).ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ];
        if (isAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The signed-in person's id; null for anonymous users or a principal that carries no (valid) id.</summary>
    public static Guid? GetPersonId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : null;

    /// <summary>The session version the principal was issued at; null when it carries none (then it cannot be matched to a session).</summary>
    public static long? GetSessionVersion(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(SessionVersionClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>The registration time the principal was issued for; null when it carries none (then it is nobody's session).</summary>
    public static long? GetRegisteredAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(RegisteredAtClaim), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at) ? at : null;

    /// <summary>
    /// Whole milliseconds: what every directory keeps at least (SQLite stores milliseconds), so a principal made from a record
    /// before it was stored and one made from the stored record agree.
    /// </summary>
    public static long RegisteredAtOf(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.RegisteredAt.ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// True when the principal was issued for this very record of the person and is still current: the same registration
    /// (not an earlier person with the same id) and the same session version (not signed out since).
    /// </summary>
    public static bool IsSessionOf(this ClaimsPrincipal user, Person person) =>
        user.GetSessionVersion() == person.SessionVersion && user.GetRegisteredAt() == RegisteredAtOf(person);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
