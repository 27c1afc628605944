using Microsoft.Playwright;
using FaceLogin.Tests.Web;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// The product in a real browser with a fake camera fed from lfw-dev photos: sign up A with one photo, sign in as A with
/// another, refuse B (never registered), A (the first person, hence admin) deletes A, and A can no longer sign in.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignUpSignInScenarioTests(BrowserFixture browsers)
{
    /// <summary>Face work runs on a CPU shared with other builds; a step may take seconds.</summary>
    private const float StepTimeoutMs = 60_000;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_up_sign_in_refuse_a_stranger_then_delete_and_refuse_the_deleted_person()
    {
        BrowserFixture.RequireChromium();
        var a = TestPeople.A;
        await using var app = await BrowserApp.StartAsync(new Dictionary<string, string?>(), Cancel);

        // 1. A signs up in front of a camera showing A's first photo, and lands signed in on their account page.
        await using (var signUpContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(a.RegistrationPhoto))))
        {
            var signUpProblems = PageProblems.Watch(signUpContext);
            var page = await signUpContext.NewPageAsync();
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in with your face");
            await Screenshots.TakeAsync(page, "home");

            await page.GotoAsync("/signup");
            await Assertions.Expect(page.Locator("button.camera-take")).ToBeEnabledAsync(new() { Timeout = StepTimeoutMs });
            await page.Locator("#full-name").FillAsync(a.FullName);
            await page.Locator(".consent-check input[type=checkbox]").CheckAsync();
            await page.Locator("button.camera-take").ClickAsync();
            await Assertions.Expect(page.Locator("button.camera-retake")).ToBeVisibleAsync();
            await Screenshots.TakeAsync(page, "signup");

            await page.Locator("button.register-button").ClickAsync();
            await page.WaitForURLAsync("**/account?welcome=1", new() { Timeout = StepTimeoutMs });
            await Assertions.Expect(page.Locator(".person-name")).ToHaveTextAsync(a.FullName);
            await Assertions.Expect(page.Locator(".welcome-message")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("img.face-photo")).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await page.Locator("img.face-photo").EvaluateAsync<int>("img => img.naturalWidth") > 0, "The account photo did not load.");
            await Screenshots.TakeAsync(page, "account");
            signUpProblems.AssertNone();
        }

        // 2. In a fresh browser whose camera shows A's second photo, "Sign in with my face" signs A in.
        await using var aContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(a.SignInPhoto)));
        var aProblems = PageProblems.Watch(aContext);
        var aPage = await aContext.NewPageAsync();
        await SignInAsync(aPage, expectedOutcome: null);
        await Screenshots.TakeAsync(aPage, "account-signed-in");
        await Assertions.Expect(aPage.Locator(".person-name")).ToHaveTextAsync(a.FullName);
        await Assertions.Expect(aPage.Locator("a.nav-admin")).ToBeVisibleAsync();

        // 3. B, never registered, is refused with the reason, and stays signed out.
        await using (var bContext = await app.NewContextAsync(await browsers.WithCameraShowingAsync(TestPeople.PathOf(TestPeople.B.SignInPhoto))))
        {
            var bProblems = PageProblems.Watch(bContext);
            var bPage = await bContext.NewPageAsync();
            await SignInAsync(bPage, expectedOutcome: "NotRecognised");
            await Screenshots.TakeAsync(bPage, "login-refused");
            Assert.DoesNotContain(await bContext.CookiesAsync(), c => c.Name == "FaceLogin.Auth");

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

        // 4. A is the first person, hence admin: the admin page lists A; deleting A (after confirming) signs A out.
        await aPage.GotoAsync("/admin");
        var row = aPage.Locator(".people-grid tbody tr", new() { HasText = a.FullName });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
        var thumbnail = row.Locator("img.face-thumb");
        await Assertions.Expect(thumbnail).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await thumbnail.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The admin thumbnail did not load: " + await thumbnail.EvaluateAsync<string>("img => img.naturalWidth + 'x' + img.naturalHeight + ' ' + img.currentSrc"));
        await Screenshots.TakeAsync(aPage, "admin");
        await aPage.GetByRole(AriaRole.Tab, new() { Name = "Sign-in attempts" }).ClickAsync();
        await Assertions.Expect(aPage.Locator(".attempts-grid tbody tr")).ToHaveCountAsync(2, new() { Timeout = StepTimeoutMs });
        await Screenshots.TakeAsync(aPage, "admin-attempts");
        await aPage.GetByRole(AriaRole.Tab, new() { Name = "People" }).ClickAsync();

        await aPage.Locator($".people-grid button[aria-label='Delete {a.FullName}']").ClickAsync();
        var dialog = aPage.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await aPage.WaitForURLAsync("**/account/deleted", new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(aPage.Locator("h1")).ToHaveTextAsync("Your data is deleted");
        await Screenshots.TakeAsync(aPage, "account-deleted");
        Assert.DoesNotContain(await aContext.CookiesAsync(), c => c.Name == "FaceLogin.Auth");

        // 5. A's face no longer signs anybody in.
        await SignInAsync(aPage, expectedOutcome: "NotRecognised");
        aProblems.AssertNone();
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
