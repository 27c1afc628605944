using System.Globalization;
using System.Threading.RateLimiting;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Extensions;

/// <summary>Who may do what, and the protections around it: cookie auth, admin policy, data-protection keys, throttling, headers.</summary>
public static class SecurityExtensions
{
    public const string AuthCookieName = "FaceLogin.Auth";

    public static WebApplicationBuilder AddFaceLoginSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FaceLoginWebOptions>()
            .BindConfiguration(FaceLoginWebOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = AuthCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the app is served over HTTPS; plain http://localhost still works for development.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                options.EventsType = typeof(PersonCookieEvents);
            });
        services.AddScoped<PersonCookieEvents>();
        services.AddScoped<PersonSessionCheck>();
        services.AddAuthorizationBuilder()
            .AddPolicy(FaceLoginPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(FaceLoginClaims.AdminRole));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PersonRevalidatingAuthenticationStateProvider>();

        // Keys under the data folder: cookies, antiforgery tokens and sign-in tickets survive a restart.
        // Configured through options (not at registration time) so a test's or the command line's data folder is honoured.
        services.AddDataProtection().SetApplicationName("FaceLogin");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<FaceLoginOptions>, ILoggerFactory>((keys, faceLogin, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(faceLogin.Value.ResolveDataPath(), "keys")), loggers));

        services.AddSingleton<SignInTickets>();
        services.AddScoped<ICameraCapture, JsCameraCapture>();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AuthEndpoints.SignInRateLimitPolicy, static context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<FaceLoginWebOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.LoginPermitLimit,
                        Window = TimeSpan.FromSeconds(limits.LoginWindowSeconds),
                        QueueLimit = 0,
                    });
            });
            options.OnRejected = static async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.Response.WriteAsJsonAsync(FaceSignInRefused.Throttled, cancellationToken);
            };
        });

        return builder;
    }

    /// <summary>Headers, authentication, authorization and throttling, in that order; call before UseAntiforgery.</summary>
    public static WebApplication UseFaceLoginSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
