using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// The app exactly as <c>dotnet run --project FaceLogin.Web</c> starts it: <c>Program</c> itself (its content root, its wiring,
/// the README's Production environment) on Kestrel at a free loopback port — a browser needs a real socket — with its own
/// temporary data folder. Only the data folder, the log level and the given settings differ.
/// </summary>
internal sealed class BrowserApp : IAsyncDisposable
{
    private readonly KestrelFactory _factory;
    private readonly DirectoryInfo _data;

    private BrowserApp(KestrelFactory factory, DirectoryInfo data, Uri url)
    {
        _factory = factory;
        _data = data;
        Url = url;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>A fresh browser profile (no cookies) pointed at this app, at a laptop-sized window.</summary>
    public Task<IBrowserContext> NewContextAsync(IBrowser browser) =>
        browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Url.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1100, Height = 760 },
        });

    /// <param name="configureServices">Test-only additions (a log capture, a probe), applied after the app's own registrations.</param>
    public static Task<BrowserApp> StartAsync(
        IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, Action<IServiceCollection>? configureServices = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = Directory.CreateTempSubdirectory("facelogin-browser-");
        var factory = new KestrelFactory(new Dictionary<string, string?>(settings) { ["FaceLogin:DataPath"] = data.FullName }, configureServices);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();

        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return Task.FromResult(new BrowserApp(factory, data, new Uri(address)));
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a temp folder.
        }
    }

    private sealed class KestrelFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            if (configureServices is not null)
            {
                builder.ConfigureServices(configureServices);
            }
        }
    }
}
