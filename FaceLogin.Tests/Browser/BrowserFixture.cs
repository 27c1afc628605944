using System.Collections.Concurrent;
using FaceLogin.Tests.Support;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// Debian's Chromium driven by Playwright, shared by the browser tests. The fake camera is a launch argument, so there is
/// one browser per camera (per Y4M file), started when first asked for and kept for the collection; plus browsers with no
/// camera at all and with the camera permission refused.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] CommonArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly ConcurrentDictionary<string, Lazy<Task<IBrowser>>> _browsers = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;

    /// <summary>A folder for this run's camera files.</summary>
    public string WorkFolder { get; } = Directory.CreateTempSubdirectory("facelogin-cameras-").FullName;

    /// <summary>Skips (with the reason shown) when Chromium is not installed; fails in CI, where it must be.</summary>
    public static void RequireChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        var reason = $"Browser tests need Debian's Chromium at {ChromiumPath} (apt-get install chromium).";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>A browser whose camera shows this photo (as a 640×480 webcam frame).</summary>
    public Task<IBrowser> WithCameraShowingAsync(string photoPath) =>
        WithCameraPlayingAsync(Path.GetFileNameWithoutExtension(photoPath), camera => FakeCamera.Write(photoPath, camera));

    /// <summary>Where the camera file of that name is (once a browser with it was asked for).</summary>
    public string CameraFile(string name) => Path.Combine(WorkFolder, name + ".y4m");

    /// <summary>A browser whose camera plays the Y4M <paramref name="write"/> makes at the path it is given (once per name), looping.</summary>
    public Task<IBrowser> WithCameraPlayingAsync(string name, Action<string> write)
    {
        var camera = CameraFile(name);
        return GetAsync(camera, () =>
        {
            write(camera);
            return
            [
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--use-file-for-fake-video-capture=" + camera,
            ];
        });
    }

    /// <summary>
    /// A browser on a machine with no camera: the permission is granted, but there is no device — a fake device list with
    /// none in it, so a real webcam on the machine running the tests does not count.
    /// </summary>
    public Task<IBrowser> WithoutCameraAsync() =>
        GetAsync("no-camera", () => ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=device-count=0"]);

    /// <summary>A browser with a camera whose permission the person refuses.</summary>
    public Task<IBrowser> WithCameraRefusedAsync() =>
        GetAsync("camera-refused", () => ["--use-fake-device-for-media-stream", "--deny-permission-prompts"]);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers.Values.Where(b => b.IsValueCreated))
        {
            try
            {
                await (await browser.Value).CloseAsync();
            }
            catch (PlaywrightException)
            {
                // It failed to start or already went away: nothing to close.
            }
        }

        _playwright?.Dispose();
        Directory.Delete(WorkFolder, recursive: true);
    }

    private Task<IBrowser> GetAsync(string key, Func<string[]> arguments) =>
        _browsers.GetOrAdd(key, _ => new Lazy<Task<IBrowser>>(() => LaunchAsync(arguments()))).Value;

    private async Task<IBrowser> LaunchAsync(string[] arguments)
    {
        _playwright ??= await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [.. CommonArguments, .. arguments],
        });
    }
}
