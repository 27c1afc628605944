using FaceLogin.Tests.Web;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// No camera, or the camera refused: both pages say so clearly and offer to try again, instead of going dead.
/// And a camera is never left on by a page that was left while it started.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CameraProblemTests(BrowserFixture browsers) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private BrowserApp? _app;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        BrowserFixture.RequireChromium();
        _app = await BrowserApp.StartAsync(new Dictionary<string, string?>(), Cancel);
    }

    [Theory]
    [InlineData("/login", "No camera was found")]
    [InlineData("/signup", "No camera was found")]
    public async Task Without_a_camera_the_page_says_so(string path, string expected)
    {
        var page = await OpenAsync(await browsers.WithoutCameraAsync(), path);

        await AssertCameraProblemAsync(page, expected);
        if (path == "/signup")
        {
            await Screenshots.TakeAsync(page, "signup-no-camera");
        }
    }

    [Theory]
    [InlineData("/login", "Camera access is blocked")]
    [InlineData("/signup", "Camera access is blocked")]
    public async Task With_the_camera_refused_the_page_says_how_to_allow_it(string path, string expected)
    {
        var page = await OpenAsync(await browsers.WithCameraRefusedAsync(), path);

        await AssertCameraProblemAsync(page, expected);
        if (path == "/login")
        {
            await Screenshots.TakeAsync(page, "login-camera-blocked");
        }
    }

    [Fact]
    public async Task A_camera_stopped_while_it_was_starting_ends_up_off()
    {
        var page = await OpenAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(TestPeople.A.RegistrationPhoto)), "/");

        // What happens when a person leaves the page during the permission prompt: the component is disposed and stops the
        // camera before getUserMedia has answered.
        var outcome = await page.EvaluateAsync<StartOutcome>("""
            async () => {
              const camera = await import('/Components/Camera/CameraCapture.razor.js');
              const video = document.createElement('video');
              const starting = camera.startCamera(video);
              camera.stopCamera(video);
              const status = await starting;
              const stream = video.srcObject;
              return { status, liveTracks: stream ? stream.getTracks().filter(t => t.readyState === 'live').length : 0 };
            }
            """);

        Assert.Equal("Stopped", outcome.Status);
        Assert.Equal(0, outcome.LiveTracks);

        // And a start that is not interrupted still works, on the same element kind.
        var live = await page.EvaluateAsync<string>("""
            async () => {
              const camera = await import('/Components/Camera/CameraCapture.razor.js');
              const video = document.createElement('video');
              const status = await camera.startCamera(video);
              camera.stopCamera(video);
              return status;
            }
            """);
        Assert.Equal("Live", live);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IPage> OpenAsync(IBrowser browser, string path)
    {
        var context = await _app!.NewContextAsync(browser);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    private static async Task AssertCameraProblemAsync(IPage page, string expected)
    {
        var problem = page.Locator("[role=alert] .camera-message");
        await Assertions.Expect(problem).ToContainTextAsync(expected, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".camera-retry")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("button.camera-take, button.sign-in-button")).ToBeDisabledAsync();
    }

    /// <summary>What the page script returns; a class with a parameterless constructor, as Playwright's EvaluateAsync needs.</summary>
    public sealed class StartOutcome
    {
        public string Status { get; set; } = "";

        public int LiveTracks { get; set; }
    }
}
