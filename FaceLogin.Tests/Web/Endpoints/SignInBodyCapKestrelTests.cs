using System.Net;
using System.Net.Http.Json;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Tests.Browser;
using FaceLogin.Web.Endpoints;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// The sign-in body cap on a real socket (Kestrel enforces the request size limit; the test server does not): 413 with the
/// page's JSON refusal whether the client declares the length or streams the body in chunks.
/// </summary>
public sealed class SignInBodyCapKestrelTests : IAsyncLifetime
{
    private BrowserApp? _app;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await BrowserApp.StartAsync(new Dictionary<string, string?>(), Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_seven_megabyte_sign_in_post_is_refused_with_413_and_the_reason(bool chunked)
    {
        using var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = _app!.Url };
        client.DefaultRequestHeaders.ExpectContinue = true;
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/login")
        {
            Content = FaceLoginWebFactory.SignInForm(new byte[7 * 1024 * 1024], token),
        };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(FaceSignInRefused.TooLarge(new ImageBudgetOptions().SignIn.MaxBytes), await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
    }
}
