using System.Security.Claims;
using FaceLogin.Domain.Administration;

namespace FaceLogin.Web.Security;

/// <summary>
/// Compares what a signed-in principal claims with the directory now. Both the cookie (every HTTP request)
/// and the interactive session (periodically) ask it, so a deleted person loses access and admin rights follow the directory.
/// </summary>
public sealed class PersonSessionCheck(AdministrationService administration)
{
    /// <summary>
    /// The principal to use from now on: the same instance when nothing changed, a fresh one when the admin role changed,
    /// or null when the person no longer exists (or the principal carries no person id).
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.GetPersonId() is not { } personId)
        {
            return null;
        }

        var current = await administration.GetPersonAsync(personId, cancellationToken);
        if (current is null)
        {
            return null;
        }

        return current.IsAdmin == user.IsAdmin() ? user : FaceLoginClaims.CreatePrincipal(current.Person, current.IsAdmin);
    }
}
