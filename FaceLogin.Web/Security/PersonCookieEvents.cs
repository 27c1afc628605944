using FaceLogin.Web.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FaceLogin.Web.Security;

/// <summary>
/// Cookie behaviour beyond the defaults: the person behind a cookie is re-checked on every request but for static files, and
/// requests that are not for pages (images, auth endpoints) get plain 401/403 instead of a redirect to a page they could not show.
/// </summary>
public sealed class PersonCookieEvents(PersonSessionCheck sessionCheck, ILogger<PersonCookieEvents> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        // Static files are public and the same for everybody: a directory read for each (six to eight per page load; billed
        // DynamoDB reads in AWS mode) would protect nothing. Pages, the circuit, images and auth endpoints are all checked.
        if (context.Principal is null || RequestKinds.IsStaticAsset(context.HttpContext))
        {
            return;
        }

        var refreshed = await sessionCheck.RefreshAsync(context.Principal, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            // Deleted (by themselves or an admin), or signed out since (in another tab or browser): the cookie is worthless from
            // now on, so remove it from the browser too.
            logger.LogInformation("Rejected a sign-in cookie whose person no longer exists or has signed out since.");
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
        if (RequestKinds.IsPageRequest(context.Request))
        {
            return base.RedirectToLogin(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (RequestKinds.IsPageRequest(context.Request))
        {
            return base.RedirectToAccessDenied(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
