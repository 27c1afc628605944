using System.Globalization;
using System.Security.Claims;
using FaceLogin.Domain.Ports;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FaceLogin.Web.Security;

/// <summary>What the auth cookie says about a person: their id, their name, and the admin role when they hold it.</summary>
public static class FaceLoginClaims
{
    public const string AdminRole = "admin";

    public static ClaimsPrincipal CreatePrincipal(Person person, bool isAdmin)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, person.Id.ToString("D", CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, person.FullName),
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

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);
}

/// <summary>Authorization policy names.</summary>
public static class FaceLoginPolicies
{
    /// <summary>Admins only: the first person to register, names in <c>FaceLogin:Admins</c>, and promoted people.</summary>
    public const string Admin = "Admin";
}
