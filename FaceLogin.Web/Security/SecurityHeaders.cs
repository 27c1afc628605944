using FaceLogin.Web.Extensions;

namespace FaceLogin.Web.Security;

/// <summary>Headers every response carries. Set when the response starts, so error pages get them too.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Only our own origin: scripts ('self' — Blazor Server and MudBlazor need no eval and no inline script),
    /// connections (the Blazor circuit's WebSocket and the sign-in fetch), images (thumbnails; data: for MudBlazor's inline images).
    /// Styles need 'unsafe-inline': MudBlazor writes its theme as an inline &lt;style&gt; and uses style attributes.
    /// frame-ancestors 'none' forbids framing (clickjacking).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "media-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>The camera for this origin only; nothing else a page could ask for.</summary>
    public const string PermissionsPolicy = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });

    /// <summary>
    /// Pages shown to a signed-in person (their name, photo and consent; the admin's lists) are never kept by the browser or
    /// anything in between: on a shared computer, Back after signing out must not bring them out of a cache. Call after
    /// UseAuthentication, which decides who is signed in.
    /// </summary>
    public static IApplicationBuilder UseNoStoreForSignedInPages(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var httpContext = (HttpContext)state;
                if (httpContext.User.Identity?.IsAuthenticated == true && RequestKinds.IsPageRequest(httpContext.Request))
                {
                    httpContext.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
