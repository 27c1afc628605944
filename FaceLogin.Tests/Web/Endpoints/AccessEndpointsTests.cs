using System.Net;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Faces;
using FaceLogin.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NSubstitute;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>Who may fetch what: thumbnails for the person and admins only, the admin page for admins only, headers on everything.</summary>
public sealed class AccessEndpointsTests : IAsyncDisposable
{
    private readonly FaceLoginWebFactory _app = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Thumbnails_need_a_signed_in_person()
    {
        var (admin, _) = await RegisterAdminAndMemberAsync();
        using var anonymous = _app.CreateBrowserLikeClient();

        using var response = await anonymous.GetAsync(await ThumbnailUrlAsync(admin.Id), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_person_gets_their_own_thumbnail_as_an_uncached_jpeg()
    {
        var (_, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, member.Id, Cancel);

        using var response = await client.GetAsync(await ThumbnailUrlAsync(member.Id), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.True(response.Headers.CacheControl?.Private);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
    }

    [Fact]
    public async Task Thumbnails_are_throttled_per_client_address()
    {
        _app.Settings["FaceLogin:Web:ThumbnailPermitLimit"] = "2";
        var (_, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, member.Id, Cancel);
        var url = await ThumbnailUrlAsync(member.Id);

        var statuses = new List<HttpStatusCode>();
        foreach (var peer in new[] { "192.0.2.20", "192.0.2.20", "192.0.2.20", "198.51.100.21", "198.51.100.21", "198.51.100.21" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(TestPeerAddress.Header, peer);
            using var response = await client.SendAsync(request, Cancel);
            statuses.Add(response.StatusCode);
        }

        // The second address has its own allowance, untouched by the first one's use of it.
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            statuses);
    }

    [Fact]
    public async Task A_non_admin_gets_403_for_someone_elses_thumbnail()
    {
        var (admin, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, member.Id, Cancel);

        using var response = await client.GetAsync(await ThumbnailUrlAsync(admin.Id), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_gets_anyones_thumbnail()
    {
        var (admin, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, admin.Id, Cancel);

        using var response = await client.GetAsync(await ThumbnailUrlAsync(member.Id), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_page_answers_403_to_a_signed_in_non_admin()
    {
        var (_, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, member.Id, Cancel);

        using var response = await client.GetAsync("admin", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var denied = await client.GetAsync(response.Headers.Location, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("administrators only", await denied.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_page_sends_anonymous_visitors_to_sign_in()
    {
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync("admin", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fadmin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_first_person_is_admin_and_gets_the_admin_page()
    {
        var (admin, _) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, admin.Id, Cancel);

        using var response = await client.GetAsync("admin", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_promotion_takes_effect_at_the_next_request_without_signing_in_again()
    {
        var (_, member) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, member.Id, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("admin", Cancel)).StatusCode);

        Assert.True(await _app.Services.GetRequiredService<AdministrationService>().SetAdminAsync(member.Id, true, Cancel));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_person_listed_by_id_in_configuration_is_admin()
    {
        // An imported person: the id is chosen before the app starts, and nothing but the setting makes them admin.
        var memberId = Guid.NewGuid();
        _app.Settings["FaceLogin:Admins:0"] = memberId.ToString();
        await _app.RegisterAsync(TestPeople.A, Cancel);
        var key = FaceImageKey.New(memberId);
        await _app.Services.GetRequiredService<IFaceImageStore>().PutAsync(
            key, TestPeople.Read(TestPeople.C.RegistrationPhoto), new FaceImageMetadata(TestPeople.C.FullName, memberId, "image/jpeg"), Cancel);
        var imported = await _app.Services.GetRequiredService<RegistrationService>().RegisterStoredImageAsync(key, Cancel);
        Assert.Equal(RegistrationStatus.Registered, imported.Status);
        Assert.False(imported.Person!.IsAdmin);
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, memberId, Cancel);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin", Cancel)).StatusCode);
    }

    [Fact]
    public void A_name_in_the_admins_setting_stops_the_app_at_start_up_naming_the_entry()
    {
        _app.Settings["FaceLogin:Admins:0"] = TestPeople.C.FullName;

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _app.Services);

        Assert.Contains("FaceLogin:Admins:0 is not a person id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/signup")]
    [InlineData("/auth/complete?ticket=x")]
    [InlineData("/images/people/00000000-0000-0000-0000-000000000001/faces/x")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/app.css")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync(path.TrimStart('/'), Cancel);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_throttled_sign_in_carries_the_security_headers()
    {
        _app.Settings["FaceLogin:Web:LoginPermitLimit"] = "1";
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        (await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(null, token), Cancel)).Dispose();

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(null, token), Cancel);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task An_unexpected_error_outside_development_shows_the_error_page_with_the_headers_and_no_details()
    {
        _app.EnvironmentName = Environments.Production;
        var faces = Substitute.For<IFaceCollection>();
        faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>())
            .Returns<Task<DetectFacesResult>>(_ => throw new InvalidOperationException("SECRET-INTERNAL-DETAIL at /srv/data"));
        await using var failing = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Replace(ServiceDescriptor.Singleton(faces))));
        using var client = failing.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(TestPeople.Read(TestPeople.A.SignInPhoto), token), Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("SECRET-INTERNAL-DETAIL", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public void The_readmes_run_command_starts_in_production_and_developers_have_their_own_profile()
    {
        using var settings = System.Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "FaceLogin.Web", "Properties", "launchSettings.json")));
        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();

        // `dotnet run` takes the first profile: it must not show exception details (the developer exception page).
        Assert.Equal("Production", profiles[0].Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
        Assert.Contains(profiles, p => p.Name == "Development"
            && p.Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString() == "Development");
    }

    [Theory]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("_framework/blazor.web.js")]
    [InlineData("app.css")]
    [InlineData("Components/Camera/CameraCapture.razor.js")]
    public async Task Outside_development_the_static_files_are_served_too(string path)
    {
        _app.EnvironmentName = Environments.Production;
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync(Cancel)).Length > 100);
    }

    [Fact]
    public async Task Static_files_do_not_look_the_signed_in_person_up_but_pages_do()
    {
        var counting = new CountingDirectory();
        await using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Replace(ServiceDescriptor.Singleton<IFaceDirectory>(sp =>
            counting.Wrap(sp.GetRequiredService<FaceLogin.Domain.Local.Stores.SqliteFaceDirectory>())))));
        var ada = (await app.Services.GetRequiredService<RegistrationService>().RegisterAsync(
            new RegistrationRequest(TestPeople.A.FullName, true, TestPeople.Read(TestPeople.A.RegistrationPhoto)), Cancel)).Person!;
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var ticket = app.Services.GetRequiredService<SignInTickets>().Issue(ada.Id);
        (await client.GetAsync("auth/complete?ticket=" + Uri.EscapeDataString(ticket), Cancel)).Dispose();

        counting.Reset();
        foreach (var path in new[] { "app.css", "_framework/blazor.web.js", "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "favicon.svg" })
        {
            using var response = await client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, counting.PersonLookups);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("account", Cancel)).StatusCode);
        Assert.True(counting.PersonLookups > 0, "A page must still check the person behind the cookie.");
    }

    [Fact]
    public async Task Pages_shown_to_a_signed_in_person_and_the_sign_out_answer_are_not_stored()
    {
        var (admin, _) = await RegisterAdminAndMemberAsync();
        using var client = _app.CreateBrowserLikeClient();
        await _app.SignInWithTicketAsync(client, admin.Id, Cancel);

        foreach (var page in new[] { "account", "admin", "" })
        {
            using var response = await client.GetAsync(page, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, $"/{page} can be stored: {response.Headers.CacheControl}");
        }

        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        using var signOut = await client.PostAsync("auth/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), Cancel);
        Assert.True(signOut.Headers.CacheControl?.NoStore);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=(self)", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task An_unknown_address_shows_the_not_found_page_with_404()
    {
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync("no-such-page", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_protection_keys_are_kept_in_the_data_folder_so_cookies_survive_a_restart()
    {
        using var client = _app.CreateBrowserLikeClient();

        await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_app.DataPath, "keys"), "key-*.xml"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A registers first (and so is admin); C registers second.</summary>
    private async Task<(Person Admin, Person Member)> RegisterAdminAndMemberAsync()
    {
        var admin = await _app.RegisterAsync(TestPeople.A, Cancel);
        var member = await _app.RegisterAsync(TestPeople.C, Cancel);
        Assert.True(admin.IsAdmin);
        Assert.False(member.IsAdmin);
        return (admin, member);
    }

    private async Task<string> ThumbnailUrlAsync(Guid personId)
    {
        var person = await _app.Services.GetRequiredService<AdministrationService>().GetPersonAsync(personId, Cancel);
        return ImageEndpoints.ThumbnailUrl(personId, person!.Faces[0].FaceId, 96);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";
}
