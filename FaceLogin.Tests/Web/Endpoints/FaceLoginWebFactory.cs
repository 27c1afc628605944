using System.Text.RegularExpressions;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// The whole app on a test server with its own temporary data folder (SQLite file, images, data-protection keys)
/// and the real local engine; settings can be added before the first request.
/// </summary>
internal sealed partial class FaceLoginWebFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("facelogin-web-");

    public string DataPath => _data.FullName;

    /// <summary>
    /// Settings before the first request. Both doors ask for a single photo here (liveness Off, as a deployment may set them):
    /// these tests are about cookies, throttling, proxies and limits, sent as one photo; the head-movement challenge and the
    /// burst have their own tests (LivenessSignInEndpointsTests), which set the mode.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal)
    {
        ["FaceLogin:Liveness:SignIn"] = "Off",
        ["FaceLogin:Liveness:SignUp"] = "Off",
    };

    /// <summary>The host environment; Development unless a test says otherwise.</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>Test-only replacements (a clock the test moves), applied after the app's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>What the app logged at Information and above.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("FaceLogin:DataPath", DataPath);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestPeerAddress>());
        if (TestServices is not null)
        {
            builder.ConfigureServices(TestServices);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(level => level >= LogLevel.Information));
    }

    /// <summary>A client that keeps cookies but does not follow redirects, so tests see each answer as it is.</summary>
    public HttpClient CreateBrowserLikeClient(bool https = false) => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri(https ? "https://localhost/" : "http://localhost/"),
    });

    /// <summary>Registers a person through the real service (engine, image store, directory) and returns them.</summary>
    public async Task<Person> RegisterAsync(TestPerson person, CancellationToken cancellationToken)
    {
        var registration = Services.GetRequiredService<RegistrationService>();
        var result = await registration.RegisterAsync(
            new RegistrationRequest(person.FullName, true, TestPeople.Read(person.RegistrationPhoto)), cancellationToken);
        Assert.True(result.Succeeded, $"Registering {person.FullName} failed: {result.Status} {result.Message}");
        return result.Person!;
    }

    /// <summary>Signs the client in as the person through the sign-up ticket endpoint (no face needed).</summary>
    public async Task SignInWithTicketAsync(HttpClient client, Guid personId, CancellationToken cancellationToken)
    {
        var ticket = Services.GetRequiredService<SignInTickets>().Issue(personId);
        using var response = await client.GetAsync("auth/complete?ticket=" + Uri.EscapeDataString(ticket), cancellationToken);
        Assert.Equal("/account?welcome=1", response.Headers.Location?.OriginalString);
    }

    /// <summary>Loads the sign-in page the way a browser does and returns the antiforgery token it renders (its cookie stays in the client).</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(HttpClient client, CancellationToken cancellationToken)
    {
        return AntiforgeryTokenIn(await client.GetStringAsync("login", cancellationToken));
    }

    /// <summary>The antiforgery token a rendered page carries.</summary>
    public static string AntiforgeryTokenIn(string html)
    {
        var match = TokenField().Match(html);
        Assert.True(match.Success, "The sign-in page renders no antiforgery token.");
        return match.Groups["token"].Value;
    }

    public static MultipartFormDataContent SignInForm(byte[]? photo, string? antiforgeryToken, string? returnUrl = null)
    {
        var form = new MultipartFormDataContent();
        if (antiforgeryToken is not null)
        {
            form.Add(new StringContent(antiforgeryToken), "__RequestVerificationToken");
        }

        if (returnUrl is not null)
        {
            form.Add(new StringContent(returnUrl), "returnUrl");
        }

        if (photo is not null)
        {
            var image = new ByteArrayContent(photo);
            image.Headers.ContentType = new("image/jpeg");
            form.Add(image, "image", "face.jpg");
        }

        return form;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                _data.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finalising connection: the temp folder is cleaned by the OS eventually.
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
