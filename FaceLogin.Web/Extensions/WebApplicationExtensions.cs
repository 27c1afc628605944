using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Components;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using MudBlazor.Services;

namespace FaceLogin.Web.Extensions;

public static class WebApplicationExtensions
{
    public static WebApplicationBuilder AddFaceLoginWeb(this WebApplicationBuilder builder)
    {
        // Serves the packages' files (MudBlazor's css and js) and our own from where the build left them, in any environment,
        // so `dotnet run` works in Production (the default launch profile); a published app has no such manifest and skips this.
        builder.WebHost.UseStaticWebAssets();
        // No "Server: Kestrel" on responses: it tells a scanner which server's weaknesses to try, and nobody else needs it.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddFaceLoginSecurity();
        builder.Services.AddScoped<ICameraCapture, JsCameraCapture>();
        return builder;
    }

    public static WebApplication UseFaceLoginWeb(this WebApplication app)
    {
        FixedChallengeWarning.LogIfSet(app.Services);
        app.UseFaceLoginForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseFaceLoginNotFoundPage();
        app.UseFaceLoginSecurity();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAuthEndpoints();
        app.MapImageEndpoints();
        return app;
    }
}
