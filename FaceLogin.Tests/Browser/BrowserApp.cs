using FaceLogin.Tests.Support;
using FaceLogin.Web.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// The app as <c>dotnet run</c> builds it (the same AddFaceLoginWeb / UseFaceLoginWeb), started in this process on Kestrel
/// at a free loopback port — a browser needs a real socket, which the test server of WebApplicationFactory is not —
/// with its own temporary data folder.
/// </summary>
internal sealed class BrowserApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _data;

    private BrowserApp(WebApplication app, DirectoryInfo data, Uri url)
    {
        _app = app;
        _data = data;
        Url = url;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A fresh browser profile (no cookies) pointed at this app, at a laptop-sized window.</summary>
    public Task<IBrowserContext> NewContextAsync(IBrowser browser) =>
        browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Url.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1100, Height = 760 },
        });

    public static async Task<BrowserApp> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("facelogin-browser-");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The web app's name, so its components, static web assets and appsettings.json are the ones found.
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = Environments.Development,
            ContentRootPath = Path.Combine(TestEnvironment.RepoRoot, "FaceLogin.Web"),
        });
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(settings) { ["FaceLogin:DataPath"] = data.FullName });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddFaceLoginWeb();

        var app = builder.Build();
        app.UseFaceLoginWeb();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BrowserApp(app, data, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a temp folder.
        }
    }
}
