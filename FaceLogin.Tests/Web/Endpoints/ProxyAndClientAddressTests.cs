using System.Net;
using FaceLogin.Domain.Administration;
using FaceLogin.Web.Extensions;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// Who the client is and whether the connection is encrypted: forwarded headers from configured proxies only, one client
/// address (IPv6 as its /64) for throttling and lock-out, Secure cookies and HSTS outside Development.
/// </summary>
public sealed class ProxyAndClientAddressTests : IAsyncDisposable
{
    private const string Proxy = "10.0.0.1";
    private const string RealClient = "198.51.100.7";

    private readonly FaceLoginWebFactory _app = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Behind_a_trusted_tls_proxy_the_cookie_is_secure_and_the_attempt_names_the_real_client()
    {
        _app.Settings["FaceLogin:ForwardedHeaders:KnownProxies:0"] = Proxy;
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.SendAsync(SignInThrough(Proxy, token, TestPeople.Read(TestPeople.A.SignInPhoto)), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", AuthEndpointsTests.AuthCookie(response)!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RealClient, (await LastAttemptAsync()).ClientAddress);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_peer_that_is_not_a_configured_proxy_are_ignored()
    {
        _app.Settings["FaceLogin:ForwardedHeaders:KnownProxies:0"] = Proxy;
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.SendAsync(SignInThrough("10.0.0.9", token, TestPeople.Read(TestPeople.A.SignInPhoto)), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("secure", AuthEndpointsTests.AuthCookie(response)!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("10.0.0.9", (await LastAttemptAsync()).ClientAddress);
    }

    [Fact]
    public async Task Without_configured_proxies_a_forged_forwarded_for_does_not_escape_the_limiter()
    {
        _app.Settings["FaceLogin:Web:LoginPermitLimit"] = "2";
        _app.Settings["FaceLogin:Web:LoginWindowSeconds"] = "600";
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        var statuses = await StatusesAsync(client, Enumerable.Range(1, 3).Select(i => SignInThrough(Proxy, token, photo: null, forwardedFor: $"203.0.113.{i}")));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Addresses_in_one_ipv6_64_share_one_sign_in_limit_and_another_64_has_its_own()
    {
        _app.Settings["FaceLogin:Web:LoginPermitLimit"] = "2";
        _app.Settings["FaceLogin:Web:LoginWindowSeconds"] = "600";
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        var peers = new[] { "2001:db8:1:2::1", "2001:db8:1:2:ffff::2", "2001:db8:1:2::3", "2001:db8:1:3::1" };
        var statuses = await StatusesAsync(client, peers.Select(peer =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "auth/login") { Content = FaceLoginWebFactory.SignInForm(null, token) };
            request.Headers.Add(TestPeerAddress.Header, peer);
            return request;
        }));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadRequest], statuses);
    }

    [Fact]
    public void The_client_address_is_the_domains_lock_out_key()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8:1:2:3:4:5:6");
        Assert.Equal("2001:db8:1:2::/64", ClientAddress.Of(context));

        context.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:192.0.2.7");
        Assert.Equal("192.0.2.7", ClientAddress.Of(context));

        context.Connection.RemoteIpAddress = null;
        Assert.Equal(FaceLogin.Domain.Authentication.AuthenticationService.UnknownClientAddress, ClientAddress.Of(context));
    }

    [Fact]
    public async Task Outside_development_behind_a_proxy_cookies_are_secure_even_on_a_request_that_arrived_as_plain_http()
    {
        _app.EnvironmentName = Environments.Production;
        _app.Settings["FaceLogin:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/24";
        var ada = await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync(
            "auth/complete?ticket=" + Uri.EscapeDataString(_app.Services.GetRequiredService<SignInTickets>().Issue(ada.Id)), Cancel);

        Assert.Equal("/account?welcome=1", response.Headers.Location?.OriginalString);
        Assert.Contains("secure", AuthEndpointsTests.AuthCookie(response)!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Outside_development_on_plain_http_without_a_proxy_the_app_works_as_the_readme_runs_it()
    {
        _app.EnvironmentName = Environments.Production;
        var ada = await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();

        await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        await _app.SignInWithTicketAsync(client, ada.Id, Cancel);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("account", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public async Task Hsts_is_sent_over_https_outside_development(string environment, bool expected)
    {
        _app.EnvironmentName = environment;
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://facelogin.test/") });

        using var response = await client.GetAsync("/", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void A_proxy_entry_that_is_not_an_address_stops_the_app_naming_it()
    {
        _app.Settings["FaceLogin:ForwardedHeaders:KnownProxies:0"] = "proxy.internal";

        var error = Assert.ThrowsAny<Exception>(() => _app.Services);

        Assert.Contains("FaceLogin:ForwardedHeaders:KnownProxies:0 is not an IP address", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Review 3, F2: the web host's own forwarded-headers switch would believe a forged X-Forwarded-For from anybody (a new address,
    /// so a new lock-out budget, per request). The app refuses to start with it, whatever the case of "true", and names the way to
    /// trust a proxy instead.
    /// </summary>
    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void The_hosts_forwarded_headers_switch_stops_the_app_naming_it_and_the_setting_to_use_instead(string value)
    {
        _app.Settings["FORWARDEDHEADERS_ENABLED"] = value;

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _app.Services);

        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED (FORWARDEDHEADERS_ENABLED) is true", error.Message, StringComparison.Ordinal);
        Assert.Contains("FaceLogin:ForwardedHeaders:KnownProxies/KnownNetworks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_hosts_forwarded_headers_switch_off_a_forged_forwarded_for_is_ignored()
    {
        _app.Settings["FORWARDEDHEADERS_ENABLED"] = "false";
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.SendAsync(SignInThrough("192.0.2.50", token, TestPeople.Read(TestPeople.A.SignInPhoto), forwardedFor: "203.0.113.9"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("192.0.2.50", (await LastAttemptAsync()).ClientAddress);
    }

    [Theory]
    [InlineData("Production", "http://localhost:5080", false, "SameAsRequest")]
    [InlineData("Production", "https://+:443;http://+:80", false, "Always")]
    [InlineData("Production", "http://+:80", true, "Always")]
    [InlineData("Development", "https://localhost:5081", true, "SameAsRequest")]
    public void Cookies_are_always_secure_outside_development_when_served_over_https_or_behind_a_proxy(
        string environment, string urls, bool proxy, string expected)
    {
        var hosting = new HostingEnvironment { EnvironmentName = environment };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        var proxies = new TrustedProxyOptions { KnownProxies = proxy ? [Proxy] : [] };

        Assert.Equal(expected, TransportSecurityExtensions.CookieSecurePolicyFor(hosting, configuration, proxies).ToString());
    }

    /// <summary>Sends the requests one after the other and returns their statuses.</summary>
    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, IEnumerable<HttpRequestMessage> requests)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var request in requests)
        {
            using (request)
            using (var response = await client.SendAsync(request, Cancel))
            {
                statuses.Add(response.StatusCode);
            }
        }

        return statuses;
    }

    private static HttpRequestMessage SignInThrough(string peer, string token, byte[]? photo, string forwardedFor = RealClient)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "auth/login") { Content = FaceLoginWebFactory.SignInForm(photo, token) };
        request.Headers.Add(TestPeerAddress.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private async Task<FaceLogin.Domain.Ports.LoginAttempt> LastAttemptAsync() =>
        (await _app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new(0, 1), Cancel)).Items.Single();

    private sealed class HostingEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "FaceLogin.Web";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
