using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FaceLogin.Web.Security;

/// <summary>
/// Cookie behaviour beyond the defaults: the person behind a cookie is re-checked on every request, and requests that are
/// not page loads (images, auth endpoints) get plain 401/403 instead of a redirect to a page they could not show.
/// </summary>
public sealed class PersonCookieEvents(PersonSessionCheck sessionCheck, ILogger<PersonCookieEvents> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null)
        {
            return;
        }

        var refreshed = await sessionCheck.RefreshAsync(context.Principal, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            // Deleted (by themselves or an admin): the cookie is worthless from now on, so remove it from the browser too.
            logger.LogInformation("Rejected the sign-in cookie of a person who no longer exists.");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        if (!ReferenceEquals(refreshed, context.Principal))
        {
            context.ReplacePrincipal(refreshed);
            context.ShouldRenew = true;
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsPageRequest(context.Request))
        {
            return base.RedirectToLogin(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsPageRequest(context.Request))
        {
            return base.RedirectToAccessDenied(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>Endpoints under these prefixes answer scripts and img tags, which cannot follow a redirect to a page.</summary>
    private static bool IsPageRequest(HttpRequest request) =>
        !request.Path.StartsWithSegments("/images", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase);
}
