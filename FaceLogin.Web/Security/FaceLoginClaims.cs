using System.Globalization;
using System.Security.Claims;
using FaceLogin.Domain.Ports;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FaceLogin.Web.Security;

/// <summary>
/// What the auth cookie says about a person: their id, their name, the session version it was issued at, and the admin role
/// when they hold it.
/// </summary>
public static class FaceLoginClaims
{
    public const string AdminRole = "admin";

    /// <summary>The person's <see cref="Person.SessionVersion"/> when the cookie was issued: signing out raises it, ending this cookie.</summary>
    public const string SessionVersionClaim = "facelogin:session-version";

    public static ClaimsPrincipal CreatePrincipal(Person person, bool isAdmin)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, person.Id.ToString("D", CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, person.FullName),
            new(SessionVersionClaim, person.SessionVersion.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
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

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
