using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// Sign-in through the head-movement challenge in a real browser (issue 10), the app as <c>dotnet run</c> starts it with the
/// sign-in door at its default (Both): a person registered from a frontal frame of pad-dev's tvl/real.mp4 signs in with the
/// clip's real head turns on the fake camera; the same person's still photo, the same real footage with its turns in the
/// other order, and the same head turns replayed on a laptop screen (tvl/fake.mp4, in the challenge's order) are refused as
/// not live, each by the check meant to catch it, and set no cookie.
/// </summary>
/// <remarks>
/// Timing. The challenge is fixed (<c>Challenge:FixedSteps</c> = left, right: the test-only setting) so a recording can answer
/// it, and the clip loops, so the burst must start at the right point of the loop. The test reads the clip's frame index off
/// the picture (<see cref="HeadTurnClip"/>'s marker) in the page and clicks at a fixed point of the loop; the burst then
/// starts after the challenge request, a delay the test cannot know on a busy machine. So the steps last 2 s here (the page
/// takes its timing from the server), which lets the burst start anywhere in a window of about 1.4 s around the loop's start
/// and still see: only frontal frames while "look at the camera" shows, the left turn after its arrow, the right turn after
/// its arrow and before the burst ends.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed class LivenessBrowserTests(BrowserFixture browsers)
{
    private const float StepTimeoutMs = 60_000;

    private const string PersonName = "Tran Van";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_real_head_turn_signs_in_through_the_challenge_while_a_still_photo_and_the_turns_in_the_wrong_order_are_refused()
    {
        BrowserFixture.RequireChromium();
        await using var app = await BrowserApp.StartAsync(new Dictionary<string, string?>
        {
            ["FaceLogin:Liveness:SignIn"] = "Both",
            // Registered through the service below, the operator's door: this test is about the sign-in door.
            ["FaceLogin:Liveness:SignUp"] = "Off",
            ["FaceLogin:Liveness:Challenge:FixedSteps:0"] = "TurnLeft",
            ["FaceLogin:Liveness:Challenge:FixedSteps:1"] = "TurnRight",
            ["FaceLogin:Liveness:Burst:StepMs"] = "2000",
            ["FaceLogin:Authentication:MaxFailedAttempts"] = "20",
        }, Cancel);
        var registered = await app.Services.GetRequiredService<RegistrationService>().RegisterAsync(
            new RegistrationRequest(PersonName, true, HeadTurnClip.FrontalPhoto(browsers.WorkFolder)), Cancel);
        Assert.True(registered.Succeeded, $"{registered.Status}: {registered.Message}");

        // 1. The real clip, its turns in the challenge's order: signed in.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-left-right", HeadTurnClip.LeftThenRight)))
        {
            var problems = PageProblems.Watch(context);
            var page = await context.NewPageAsync();
            await OpenSignInAsync(page);
            await Assertions.Expect(page.Locator("face-sign-in")).ToHaveAttributeAsync("data-liveness", "Both");

            await StartBurstAtLoopStartAsync(page, "tvl-left-right");
            // The prompt shows each step in words and an arrow, in a live region.
            await Assertions.Expect(page.Locator(".liveness-prompt")).ToContainTextAsync("Turn your head to your left", new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator(".liveness-arrow")).ToHaveTextAsync("←");
            await Assertions.Expect(page.Locator(".liveness-prompt")).ToHaveAttributeAsync("aria-live", "assertive");
            await Screenshots.TakeAsync(page, "login-challenge");

            await WaitForAccountOrExplainAsync(page, app);
            await Assertions.Expect(page.Locator(".person-name")).ToHaveTextAsync(PersonName);
            Assert.Contains(await context.CookiesAsync(), cookie => cookie.Name == "FaceLogin.Auth");
            var signedIn = await app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new PageRequest(0, 1), Cancel);
            Assert.Equal(LoginOutcome.SignedIn, Assert.Single(signedIn.Items).Outcome);
            problems.AssertNone();
        }

        // 2. A still photo of the same person held up to the camera: not live.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-still", HeadTurnClip.Still(0.8), marked: false)))
        {
            var page = await context.NewPageAsync();
            await OpenSignInAsync(page);
            await page.Locator("button.sign-in-button").ClickAsync();
            await ExpectRefusedAsync(page, context, "NotLive");
            Assert.Equal(LivenessRefusal.RepeatedFrames, await LastLivenessRefusalAsync(app));
        }

        // 3. The same real footage, turning right first: a recording that does not answer this challenge.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-right-left", HeadTurnClip.RightThenLeft)))
        {
            var page = await context.NewPageAsync();
            await OpenSignInAsync(page);
            await StartBurstAtLoopStartAsync(page, "tvl-right-left");
            await ExpectRefusedAsync(page, context, "NotLive");
            Assert.Equal(LivenessRefusal.MovementNotFollowed, await LastLivenessRefusalAsync(app));
        }

        // 4. The same head turns replayed on a laptop screen (tvl/fake.mp4), following the challenge: not live either.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-replay-left-right", HeadTurnClip.ReplayLeftThenRight)))
        {
            var page = await context.NewPageAsync();
            await OpenSignInAsync(page);
            await StartBurstAtLoopStartAsync(page, "tvl-replay-left-right");
            await ExpectRefusedAsync(page, context, "NotLive");
            // It follows the steps (the same footage); the screen gives it away.
            Assert.Equal(LivenessRefusal.PassiveAttack, await LastLivenessRefusalAsync(app));
        }
    }

    /// <summary>Waits to land on the account page; if the sign-in was refused instead, fails saying why (the attempt log's check).</summary>
    private static async Task WaitForAccountOrExplainAsync(IPage page, BrowserApp app)
    {
        var status = page.Locator(".sign-in-status[data-outcome]");
        var landed = page.WaitForURLAsync("**/account", new() { Timeout = StepTimeoutMs });
        var refused = status.WaitForAsync(new() { Timeout = StepTimeoutMs });
        if (await Task.WhenAny(landed, refused) == refused && !refused.IsFaulted)
        {
            var attempts = await app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new PageRequest(0, 1), Cancel);
            var last = attempts.Items.FirstOrDefault();
            Assert.Fail($"The real head turn was refused: {await status.GetAttributeAsync("data-outcome")} ({last?.LivenessRefusal}): {await status.TextContentAsync()}");
        }

        await landed;
    }

    /// <summary>Which check refused the latest attempt, from the attempt log (the page is never told).</summary>
    private static async Task<LivenessRefusal?> LastLivenessRefusalAsync(BrowserApp app)
    {
        var attempts = await app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new PageRequest(0, 1), Cancel);
        var last = Assert.Single(attempts.Items);
        Assert.Equal(LoginOutcome.NotLive, last.Outcome);
        return last.LivenessRefusal;
    }

    [Fact]
    public async Task A_real_head_turn_signs_up_through_the_challenge_while_a_still_photo_is_told_a_live_face_is_needed()
    {
        BrowserFixture.RequireChromium();
        await using var app = await BrowserApp.StartAsync(new Dictionary<string, string?>
        {
            ["FaceLogin:Liveness:SignUp"] = "Both",
            ["FaceLogin:Liveness:Challenge:FixedSteps:0"] = "TurnLeft",
            ["FaceLogin:Liveness:Challenge:FixedSteps:1"] = "TurnRight",
            ["FaceLogin:Liveness:Burst:StepMs"] = "2000",
        }, Cancel);

        // 1. A still photo of the person: the burst is captured and streamed, and the sign-up door refuses it.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-still", HeadTurnClip.Still(0.8), marked: false)))
        {
            var page = await context.NewPageAsync();
            await OpenSignUpAsync(page);
            await page.Locator("button.camera-take").ClickAsync();
            await Assertions.Expect(page.Locator("button.camera-retake")).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
            await page.Locator("button.register-button").ClickAsync();
            await Assertions.Expect(page.Locator(".registration-message")).ToContainTextAsync(LivenessFeedback.LiveFaceNeeded, new() { Timeout = StepTimeoutMs });
            Assert.EndsWith("/signup", page.Url, StringComparison.Ordinal);

            // The challenge was used: Register again asks for a new capture instead of sending the same burst.
            await page.Locator("button.register-button").ClickAsync();
            await Assertions.Expect(page.Locator(".registration-message")).ToContainTextAsync("Retake", new() { Timeout = StepTimeoutMs });
        }

        // 2. The real clip: the burst answers the challenge, its still is shown, and the person lands signed in.
        await using (var context = await app.NewContextAsync(await ClipCameraAsync("tvl-left-right", HeadTurnClip.LeftThenRight)))
        {
            var problems = PageProblems.Watch(context);
            var page = await context.NewPageAsync();
            await OpenSignUpAsync(page);
            await StartBurstAtLoopStartAsync(page, "tvl-left-right", video: ".camera video", button: "button.camera-take");
            await Assertions.Expect(page.Locator(".liveness-prompt")).ToContainTextAsync("Turn your head to your left", new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("button.camera-retake")).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
            await Assertions.Expect(page.Locator("canvas.camera-snapshot")).ToBeVisibleAsync();
            await Screenshots.TakeAsync(page, "signup-challenge-captured");

            await page.Locator("button.register-button").ClickAsync();
            var landed = page.WaitForURLAsync("**/account?welcome=1", new() { Timeout = StepTimeoutMs });
            var message = page.Locator(".registration-message").WaitForAsync(new() { Timeout = StepTimeoutMs });
            if (await Task.WhenAny(landed, message) == message && !message.IsFaulted && !page.Url.Contains("/account", StringComparison.Ordinal))
            {
                Assert.Fail("The real head turn was refused at sign-up: " + await page.Locator(".registration-message").TextContentAsync());
            }

            await landed;
            await Assertions.Expect(page.Locator(".person-name")).ToHaveTextAsync(PersonName);
            problems.AssertNone();
        }
    }

    private static async Task OpenSignUpAsync(IPage page)
    {
        await page.GotoAsync("/signup");
        await Assertions.Expect(page.Locator("button.camera-take")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
        await page.Locator("#full-name").FillAsync(PersonName);
        await page.Locator(".consent-check input[type=checkbox]").CheckAsync();
    }

    private Task<IBrowser> ClipCameraAsync(string name, HeadTurnClip.Segment[] segments, bool marked = true) =>
        browsers.WithCameraPlayingAsync(name, path => HeadTurnClip.Write(segments, path, marked));

    private static async Task OpenSignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await Assertions.Expect(page.Locator("button.sign-in-button")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
    }

    /// <summary>
    /// Presses "Sign in with my face" when the looping clip shows one of its last two frames (0.07–0.13 s before it starts
    /// again), so that the burst starts after the challenge request near the clip's start: see the class remarks. Measured
    /// on this machine by moving that point: the clip is answered from 0.2 s earlier to 1.1 s later (the burst starting
    /// later, as a slow challenge request makes it); 0.4 s earlier or 1.3 s later it is refused (MovementNotFollowed).
    /// </summary>
    private async Task StartBurstAtLoopStartAsync(
        IPage page, string camera, string video = "face-sign-in video", string button = "button.sign-in-button")
    {
        var frames = HeadTurnClip.FrameCountOf(browsers.CameraFile(camera));
        await page.EvaluateAsync<int>(HeadTurnClip.StartBurstScript, new
        {
            video,
            button,
            from = frames - 2,
            to = frames,
            timeoutMs = 30_000,
        });
    }

    private static async Task ExpectRefusedAsync(IPage page, IBrowserContext context, string outcome)
    {
        var status = page.Locator(".sign-in-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-outcome", outcome, new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(status).Not.ToBeEmptyAsync();
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), cookie => cookie.Name == "FaceLogin.Auth");
    }
}
