using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Components;
using MudBlazor.Services;

namespace FaceLogin.Web.Extensions;

public static class WebApplicationExtensions
{
    public static WebApplicationBuilder AddFaceLoginWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication UseFaceLoginWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
