using Microsoft.Playwright;
using FaceLogin.Tests.Web;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// The product in a real browser with a fake camera fed from lfw-dev photos, the app started as <c>dotnet run</c> starts it:
/// C signs up first (and so is admin); A signs up with one photo; somebody else trying to sign up with A's face is told it is
/// registered (and the admin sees that attempt); A signs in with another photo; B (never registered) is refused; admin C deletes
/// A; A's open tab loses its session at the next page; A's face no longer signs in; C deletes their own data.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignUpSignInScenarioTests(BrowserFixture browsers)
{
    /// <summary>Face work runs on a CPU shared with other builds; a step may take seconds.</summary>
    private const float StepTimeoutMs = 60_000;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_deletes_another_person_who_then_loses_their_session_and_can_no_longer_sign_in()
    {
        BrowserFixture.RequireChromium();
        var (a, b, c) = (TestPeople.A, TestPeople.B, TestPeople.C);
        // Every browser here is 127.0.0.1, and this scenario asks the collection five counted face questions from it (two
        // registrations, one "already registered", two misses): exactly the default lock-out budget. The scenario is not about
        // lock-out (SignUpLockOutTests and AuthEndpointsTests are), so it gets room for a step more.
        // The cameras here show still lfw-dev photos, which cannot turn their heads: the doors ask for a single photo (liveness
        // Off), as a deployment may set them. This scenario is about accounts, the admin and sessions; the head-movement
        // challenge through both pages has its own browser tests (LivenessBrowserTests), with a real head-turn clip.
        await using var app = await BrowserApp.StartAsync(new Dictionary<string, string?>
        {
            ["FaceLogin:Authentication:MaxFailedAttempts"] = "20",
            ["FaceLogin:Liveness:SignIn"] = "Off",
            ["FaceLogin:Liveness:SignUp"] = "Off",
        }, Cancel);

        // 1. C signs up first, and so becomes the admin. C's tab stays open for step 6.
        await using var cContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(c.RegistrationPhoto)));
        var cProblems = PageProblems.Watch(cContext);
        var cPage = await cContext.NewPageAsync();
        await cPage.GotoAsync("/");
        await Assertions.Expect(cPage.Locator("h1")).ToHaveTextAsync("Sign in with your face");
        await Screenshots.TakeAsync(cPage, "home");
        await SignUpAsync(cPage, c.FullName, screenshot: null);

        // 2. A signs up in front of a camera showing A's first photo, and lands signed in on their account page.
        await using (var aSignUpContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(a.RegistrationPhoto))))
        {
            var problems = PageProblems.Watch(aSignUpContext);
            var page = await aSignUpContext.NewPageAsync();
            await SignUpAsync(page, a.FullName, screenshot: "signup");
            await Assertions.Expect(page.Locator("img.face-photo")).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await page.Locator("img.face-photo").EvaluateAsync<int>("img => img.naturalWidth") > 0, "The account photo did not load.");
            await Screenshots.TakeAsync(page, "account");
            problems.AssertNone();
        }

        // 3. Somebody else signing up with A's face is told it is registered (without whose), and nothing is created.
        await using (var probeContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(a.RegistrationPhoto))))
        {
            var page = await probeContext.NewPageAsync();
            await FillInSignUpAsync(page, "Eve Example");
            await page.Locator("button.register-button").ClickAsync();
            await Assertions.Expect(page.Locator(".registration-message")).ToContainTextAsync("already registered", new() { Timeout = StepTimeoutMs });
            Assert.EndsWith("/signup", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator(".registration-message")).Not.ToContainTextAsync(a.FullName);
        }

        // 4. In a fresh browser whose camera shows A's second photo, "Sign in with my face" signs A in; A is not an admin.
        await using var aContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(a.SignInPhoto)));
        var aProblems = PageProblems.Watch(aContext);
        var aPage = await aContext.NewPageAsync();
        await SignInAsync(aPage, expectedOutcome: null);
        await Screenshots.TakeAsync(aPage, "account-signed-in");
        await Assertions.Expect(aPage.Locator(".person-name")).ToHaveTextAsync(a.FullName);
        await Assertions.Expect(aPage.Locator("a.nav-admin")).ToHaveCountAsync(0);

        // 5. B, never registered, is refused with the reason, and stays signed out.
        await using (var bContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(b.SignInPhoto))))
        {
            var bProblems = PageProblems.Watch(bContext);
            var bPage = await bContext.NewPageAsync();
            await SignInAsync(bPage, expectedOutcome: "NotRecognised");
            await Screenshots.TakeAsync(bPage, "login-refused");
            Assert.DoesNotContain(await bContext.CookiesAsync(), cookie => cookie.Name == "FaceLogin.Auth");

            // From the static sign-in page, "Create an account" must bring up the interactive sign-up page with its camera.
            await bPage.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await bPage.WaitForURLAsync("**/signup");
            await Assertions.Expect(bPage.Locator("button.camera-take")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });

            // And back: from the interactive page, the app bar's "Sign in" must load the static page, whose camera starts too.
            await bPage.Locator("a.nav-sign-in").ClickAsync();
            await bPage.WaitForURLAsync("**/login");
            await Assertions.Expect(bPage.Locator("button.sign-in-button")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
            bProblems.AssertNone();
        }

        // 6. Admin C sees both people and every attempt, through both doors, with the client's address.
        await cPage.GotoAsync("/admin");
        var aRow = cPage.Locator(".people-grid tbody tr", new() { HasText = a.FullName });
        await Assertions.Expect(aRow).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(cPage.Locator(".people-grid tbody tr", new() { HasText = c.FullName })).ToBeVisibleAsync();
        var thumbnail = aRow.Locator("img.face-thumb");
        await Assertions.Expect(thumbnail).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await thumbnail.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The admin thumbnail did not load.");
        await Screenshots.TakeAsync(cPage, "admin");
        await cPage.GetByRole(AriaRole.Tab, new() { Name = "Sign-in attempts" }).ClickAsync();
        var attempts = cPage.Locator(".attempts-grid tbody tr");
        await Assertions.Expect(attempts).ToHaveCountAsync(5, new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(attempts.Nth(0)).ToContainTextAsync("Not recognised");
        await Assertions.Expect(attempts.Nth(1)).ToContainTextAsync("Signed in");
        await Assertions.Expect(attempts.Nth(2)).ToContainTextAsync("Sign-up: already registered");
        await Assertions.Expect(attempts.Nth(2)).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(attempts.Nth(3)).ToContainTextAsync("Signed up");
        await Assertions.Expect(attempts.Nth(3)).ToContainTextAsync(a.FullName);
        await Screenshots.TakeAsync(cPage, "admin-attempts");
        await cPage.GetByRole(AriaRole.Tab, new() { Name = "People" }).ClickAsync();

        // 7. C deletes A after confirming; the grid says so and no longer lists A.
        await cPage.Locator($".people-grid button[aria-label='Delete {a.FullName}']").ClickAsync();
        var dialog = cPage.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(cPage.Locator(".mud-snackbar")).ToContainTextAsync($"{a.FullName} was deleted.", new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(aRow).ToHaveCountAsync(0);
        await Assertions.Expect(cPage.Locator(".people-grid tbody tr", new() { HasText = c.FullName })).ToBeVisibleAsync();
        cProblems.AssertNone();

        // 8. A's tab, still open on their account page, loses the session at its next page load: sent to sign in, cookie gone.
        await aPage.GotoAsync("/account");
        await aPage.WaitForURLAsync("**/login?returnUrl=%2Faccount", new() { Timeout = StepTimeoutMs });
        Assert.DoesNotContain(await aContext.CookiesAsync(), cookie => cookie.Name == "FaceLogin.Auth");

        // 9. A's face no longer signs anybody in.
        await SignInAsync(aPage, expectedOutcome: "NotRecognised");
        aProblems.AssertNone();

        // 10. C deletes their own data from the account page, and is signed out.
        await cPage.GotoAsync("/account");
        await cPage.Locator("button.delete-my-data").ClickAsync();
        await cPage.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete everything" }).ClickAsync();
        await cPage.WaitForURLAsync("**/account/deleted", new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(cPage.Locator("h1")).ToHaveTextAsync("Your data is deleted");
        await Screenshots.TakeAsync(cPage, "account-deleted");
        Assert.DoesNotContain(await cContext.CookiesAsync(), cookie => cookie.Name == "FaceLogin.Auth");
        cProblems.AssertNone();
    }

    /// <summary>Signs up in front of the page's camera and waits to land, signed in, on the account page.</summary>
    private static async Task SignUpAsync(IPage page, string fullName, string? screenshot)
    {
        await FillInSignUpAsync(page, fullName);
        if (screenshot is not null)
        {
            await Screenshots.TakeAsync(page, screenshot);
        }

        await page.Locator("button.register-button").ClickAsync();
        await page.WaitForURLAsync("**/account?welcome=1", new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(page.Locator(".person-name")).ToHaveTextAsync(fullName);
        await Assertions.Expect(page.Locator(".welcome-message")).ToBeVisibleAsync();
    }

    /// <summary>Opens /signup, fills in the name and consent, and takes the photo.</summary>
    private static async Task FillInSignUpAsync(IPage page, string fullName)
    {
        await page.GotoAsync("/signup");
        await Assertions.Expect(page.Locator("button.camera-take")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
        await page.Locator("#full-name").FillAsync(fullName);
        await page.Locator(".consent-check input[type=checkbox]").CheckAsync();
        await page.Locator("button.camera-take").ClickAsync();
        await Assertions.Expect(page.Locator("button.camera-retake")).ToBeVisibleAsync();
    }

    /// <summary>Opens /login, waits for the camera, presses the button; then either lands on the account page or shows the refusal.</summary>
    private static async Task SignInAsync(IPage page, string? expectedOutcome)
    {
        await page.GotoAsync("/login");
        await Assertions.Expect(page.Locator("button.sign-in-button")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
        if (expectedOutcome is null)
        {
            await Screenshots.TakeAsync(page, "login");
        }

        await page.Locator("button.sign-in-button").ClickAsync();
        if (expectedOutcome is null)
        {
            await page.WaitForURLAsync("**/account", new() { Timeout = StepTimeoutMs });
            return;
        }

        await Assertions.Expect(page.Locator(".sign-in-status")).ToHaveAttributeAsync("data-outcome", expectedOutcome, new() { Timeout = StepTimeoutMs });
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".sign-in-status")).Not.ToBeEmptyAsync();
    }
}
