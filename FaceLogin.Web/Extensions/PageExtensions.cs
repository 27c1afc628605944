using Microsoft.AspNetCore.Diagnostics;

namespace FaceLogin.Web.Extensions;

public static class PageExtensions
{
    /// <summary>
    /// A page load of an address that does not exist shows the app's "Page not found" page (with status 404).
    /// Scripts, images and framework files keep their bare status codes: their callers are not people.
    /// </summary>
    public static WebApplication UseFaceLoginNotFoundPage(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(static (context, next) =>
        {
            if (!RequestKinds.IsPageLoad(context.Request) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }
}
