using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;

namespace FaceLogin.Web.Extensions;

/// <summary>
/// Who may do what, and the protections around it. Each job has its own extension: transport (forwarded headers, Secure
/// cookies, HSTS), authentication (cookie, admin policy, session re-checks), data protection (keys, sign-up tickets),
/// throttling (sign-in and sign-up per client address); the headers are in <see cref="SecurityHeaders"/>.
/// </summary>
public static class SecurityExtensions
{
    public static WebApplicationBuilder AddFaceLoginSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FaceLoginWebOptions>()
            .BindConfiguration(FaceLoginWebOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddFaceLoginTransportSecurity();
        services.AddFaceLoginAuthentication();
        services.AddFaceLoginDataProtection();
        services.AddFaceLoginThrottling();
        return builder;
    }

    /// <summary>Headers, authentication, authorization, throttling and the sign-in body cap, in that order; call before UseAntiforgery.</summary>
    public static WebApplication UseFaceLoginSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseNoStoreForSignedInPages();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseSignInBodyCap();
        return app;
    }
}
