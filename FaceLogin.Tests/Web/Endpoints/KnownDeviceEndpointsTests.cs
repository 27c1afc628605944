using System.Net;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// The known-device cookie end to end (issue 9 point 2): set by a successful sign-in, and at a delayed address the way its person
/// gets past other people's misses. The real app on a test server, the real engine, photos from lfw-dev.
/// </summary>
public sealed class KnownDeviceEndpointsTests : IAsyncDisposable
{
    private readonly FaceLoginWebFactory _app = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_face_sign_in_sets_a_long_lived_http_only_strict_device_cookie_for_the_auth_path_that_names_nobody_readable()
    {
        _app.Settings["FaceLogin:Web:KnownDeviceDays"] = "30";
        var ada = await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(TestPeople.Read(TestPeople.A.SignInPhoto), token), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = DeviceCookie(response);
        Assert.NotNull(cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/auth", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP in Development: not Secure, as the auth cookie (the HTTPS case below).
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(Attribute(cookie, "expires")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(30));
        var value = cookie.Split(';')[0];
        Assert.DoesNotContain(ada.Id.ToString("N"), value, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ada.Id.ToString(), value, StringComparison.OrdinalIgnoreCase);

        // Signing out ends the session, not the device: no new Set-Cookie for it.
        var signOutToken = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        using var signOut = await client.PostAsync("auth/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", signOutToken)]), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Null(DeviceCookie(signOut));
    }

    [Fact]
    public async Task Over_https_and_after_a_sign_up_the_device_cookie_is_set_and_secure()
    {
        var ada = await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient(https: true);
        var ticket = _app.Services.GetRequiredService<SignInTickets>().Issue(ada.Id);

        using var completed = await client.GetAsync("auth/complete?ticket=" + Uri.EscapeDataString(ticket), Cancel);

        Assert.Equal("/account?welcome=1", completed.Headers.Location?.OriginalString);
        var cookie = DeviceCookie(completed);
        Assert.NotNull(cookie);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The office: A signed in on this browser earlier; then somebody else's miss delays the address (one free miss). A without
    /// the cookie, and with a tampered or expired one, waits (429); A with the cookie signs in at once (200).
    /// </summary>
    [Fact]
    public async Task At_a_delayed_address_the_person_with_their_device_cookie_signs_in_while_without_a_valid_one_they_wait()
    {
        _app.Settings["FaceLogin:Authentication:MaxFailedAttempts"] = "1";
        _app.Settings["FaceLogin:Web:LoginPermitLimit"] = "100";
        var ada = await _app.RegisterAsync(TestPeople.A, Cancel);
        using var bare = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (antiforgeryCookies, token) = await AntiforgeryAsync(bare);
        var adaPhoto = TestPeople.Read(TestPeople.A.SignInPhoto);

        string deviceCookie;
        using (var first = await PostSignInAsync(bare, adaPhoto, token, antiforgeryCookies))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            deviceCookie = DeviceCookie(first)!.Split(';')[0];
        }

        using (var miss = await PostSignInAsync(bare, TestPeople.Read(TestPeople.B.SignInPhoto), token, antiforgeryCookies))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, miss.StatusCode);
        }

        var cookieValue = deviceCookie[(KnownDeviceCookie.CookieName.Length + 1)..];
        var tampered = KnownDeviceCookie.CookieName + "=" + cookieValue[..^4] + (cookieValue[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var expired = KnownDeviceCookie.CookieName + "=" + _app.Services.GetRequiredService<KnownDeviceCookie>().Protect(ada.Id, DateTimeOffset.UtcNow.AddDays(-91));
        var garbage = KnownDeviceCookie.CookieName + "=not*base64url";
        foreach (var invalid in new string?[] { null, tampered, garbage, expired })
        {
            using var waits = await PostSignInAsync(bare, adaPhoto, token, antiforgeryCookies, invalid);
            Assert.True(HttpStatusCode.TooManyRequests == waits.StatusCode, $"{invalid ?? "no device cookie"}: {waits.StatusCode}");
            Assert.NotNull(waits.Headers.RetryAfter);
        }

        using var signedIn = await PostSignInAsync(bare, adaPhoto, token, antiforgeryCookies, deviceCookie);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.NotNull(AuthEndpointsTests.AuthCookie(signedIn));
        // A fresh device cookie: the period starts again.
        Assert.NotNull(DeviceCookie(signedIn));

        var attempts = (await _app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new(0, 10), Cancel)).Items;
        Assert.Equal(
            [LoginOutcome.SignedInOnKnownDevice, .. Enumerable.Repeat(LoginOutcome.LockedOut, 4), LoginOutcome.NotRecognised, LoginOutcome.SignedIn],
            attempts.Select(a => a.Outcome));
    }

    /// <summary>The antiforgery cookie (a client that keeps no cookies sends it by hand) and the form token from the sign-in page.</summary>
    private static async Task<(string Cookies, string Token)> AntiforgeryAsync(HttpClient client)
    {
        using var page = await client.GetAsync("login", Cancel);
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return (cookies, FaceLoginWebFactory.AntiforgeryTokenIn(await page.Content.ReadAsStringAsync(Cancel)));
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, byte[] photo, string token, string antiforgeryCookies, string? deviceCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/login") { Content = FaceLoginWebFactory.SignInForm(photo, token) };
        request.Headers.Add("Cookie", deviceCookie is null ? antiforgeryCookies : antiforgeryCookies + "; " + deviceCookie);
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>The Set-Cookie header for the device cookie, or null when the response sets none.</summary>
    private static string? DeviceCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(KnownDeviceCookie.CookieName + "=", StringComparison.Ordinal))
            : null;

    private static string? Attribute(string setCookie, string name) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries)
            .FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..];
}
