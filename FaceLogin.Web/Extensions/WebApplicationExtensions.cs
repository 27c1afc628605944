using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Components;
using FaceLogin.Web.Endpoints;
using MudBlazor.Services;

namespace FaceLogin.Web.Extensions;

public static class WebApplicationExtensions
{
    public static WebApplicationBuilder AddFaceLoginWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddFaceLoginSecurity();
        return builder;
    }

    public static WebApplication UseFaceLoginWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
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
