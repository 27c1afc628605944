using System.Security.Claims;
using FaceLogin.Domain.Administration;

namespace FaceLogin.Web.Security;

/// <summary>
/// Compares what a signed-in principal claims with the directory now. Both the cookie (every HTTP request)
/// and the interactive session (periodically) ask it, so a deleted or signed-out person loses access everywhere and admin
/// rights follow the directory.
/// </summary>
public sealed class PersonSessionCheck(AdministrationService administration)
{
    /// <summary>
    /// The principal to use from now on: the same instance when nothing changed, a fresh one when the admin role changed,
    /// or null when the person no longer exists, when they signed out since the principal was issued (its session version is
    /// not the current one), when the person was deleted and created again under the same id since (its registration time is
    /// not the current one), or when the principal carries no person id, session version or registration time.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.GetPersonId() is not { } personId)
        {
            return null;
        }

        var current = await administration.GetPersonAsync(personId, cancellationToken);
        // Equal, not merely "not older": a version the directory never reached (a restored backup, another installation's cookie)
        // is no session of this person either. The registration time must match too: a re-created person restarts at version 0.
        if (current is null || !user.IsSessionOf(current.Person))
        {
            return null;
        }

        return current.IsAdmin == user.IsAdmin() ? user : FaceLoginClaims.CreatePrincipal(current.Person, current.IsAdmin);
    }
}
