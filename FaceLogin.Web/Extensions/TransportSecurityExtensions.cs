using System.Net;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Extensions;

/// <summary>
/// How the app learns who the client is and whether the connection is encrypted: forwarded headers from trusted proxies only,
/// cookies marked Secure, HSTS.
/// </summary>
public static class TransportSecurityExtensions
{
    public static IServiceCollection AddFaceLoginTransportSecurity(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>()
            .BindConfiguration(TrustedProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();

        // Decided from the final configuration and environment (a test's or the command line's included), not at registration time;
        // post-configured, so it wins over whatever the cookie's own registration set.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<IWebHostEnvironment, IConfiguration, IOptions<TrustedProxyOptions>>((cookie, environment, configuration, proxies) =>
                cookie.Cookie.SecurePolicy = CookieSecurePolicyFor(environment, configuration, proxies.Value));
        services.AddOptions<AntiforgeryOptions>()
            .PostConfigure<IWebHostEnvironment, IConfiguration, IOptions<TrustedProxyOptions>>((antiforgery, environment, configuration, proxies) =>
                antiforgery.Cookie.SecurePolicy = CookieSecurePolicyFor(environment, configuration, proxies.Value));
        return services;
    }

    /// <summary>
    /// Believes <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the configured proxies only, and only when some are
    /// configured (ASP.NET's own defaults would trust loopback; <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> would trust everybody,
    /// so <see cref="TrustedProxyOptionsValidator"/> refuses to start with it).
    /// First in the pipeline, so that everything after it — HSTS, cookies, throttling, lock-out, logs — sees the real client.
    /// </summary>
    public static WebApplication UseFaceLoginForwardedHeaders(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        if (!proxies.IsConfigured)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = proxies.ForwardLimit,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in proxies.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        app.UseForwardedHeaders(options);
        return app;
    }

    /// <summary>
    /// <see cref="CookieSecurePolicy.Always"/> for an app that is served over HTTPS (an https URL, HTTPS ports) or behind a
    /// trusted proxy, outside Development: no cookie of ours is ever sent without Secure, even on a request that reached the app
    /// over plain HTTP by mistake. Otherwise <see cref="CookieSecurePolicy.SameAsRequest"/> (Secure on HTTPS requests), so the
    /// README's plain <c>http://localhost</c> keeps working — and Development always, for the same reason.
    /// </summary>
    internal static CookieSecurePolicy CookieSecurePolicyFor(IHostEnvironment environment, IConfiguration configuration, TrustedProxyOptions proxies) =>
        !environment.IsDevelopment() && (proxies.IsConfigured || IsServedOverHttps(configuration))
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

    /// <summary>An https URL in <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) or in a Kestrel endpoint, or HTTPS ports.</summary>
    internal static bool IsServedOverHttps(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Split(';', StringSplitOptions.TrimEntries).Any(IsHttps)
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(endpoint => IsHttps(endpoint["Url"]));

    private static bool IsHttps(string? url) => url?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
}
