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
}
