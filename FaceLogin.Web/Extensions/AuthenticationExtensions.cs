using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;

namespace FaceLogin.Web.Extensions;

/// <summary>The auth cookie, the admin policy, and the re-checks that keep a session in step with the directory.</summary>
public static class AuthenticationExtensions
{
    public const string AuthCookieName = "FaceLogin.Auth";

    public static IServiceCollection AddFaceLoginAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = AuthCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure on HTTPS requests; Always when served over HTTPS or behind a proxy (TransportSecurityExtensions).
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
        return services;
    }
}
