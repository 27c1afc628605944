using Bunit;
using Bunit.TestDoubles;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Components.Pages;
using FaceLogin.Tests.Web.Endpoints;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using static FaceLogin.Tests.Web.Components.SignUpPageDriver;

namespace FaceLogin.Tests.Web.Components;

/// <summary>The sign-up page: validation before anything is sent, and what the person sees for each registration result.</summary>
public sealed class SignUpPageTests : ComponentTestContext
{
    private static readonly byte[] Photo = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0xFF, 0xD9];

    public SignUpPageTests()
    {
        Camera.StartAsync(Arg.Any<ElementReference>(), Arg.Any<CancellationToken>()).Returns(CameraStatus.Live);
        Camera.TakePhotoAsync(Arg.Any<ElementReference>(), Arg.Any<ElementReference>(), Arg.Any<CancellationToken>()).Returns(Photo);
    }

    [Fact]
    public void Shows_the_consent_text_and_the_camera()
    {
        var cut = Render<SignUp>();

        Assert.Contains(ConsentText.Text, cut.Find(".consent-text").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find(".camera video"));
        Assert.NotNull(cut.Find("#full-name"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_form_is_disabled_until_interactive_because_what_is_typed_before_would_be_lost_and_clicks_reach_no_handler(bool interactive)
    {
        UseRenderer(new RendererInfo(interactive ? "Server" : "Static", interactive));

        var cut = Render<SignUp>();

        Assert.Equal(!interactive, cut.Find("#full-name").HasAttribute("disabled"));
        Assert.Equal(!interactive, cut.Find(".consent-check input").HasAttribute("disabled"));
        Assert.Equal(!interactive, cut.Find("button.register-button").HasAttribute("disabled"));
    }

    [Fact]
    public void Register_without_a_name_or_consent_says_what_is_missing_and_sends_nothing()
    {
        var cut = Render<SignUp>();

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("Please enter your full name.", cut.Markup, StringComparison.Ordinal));
        Assert.Contains("Please give your consent to continue.", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(Faces.ReceivedCalls());
        Assert.Empty(Directory.ReceivedCalls());
    }

    [Theory]
    [InlineData("   ", "Please enter your full name.")]
    [InlineData("Ada\u0007Lovelace", PersonName.InvalidCharactersMessage)]
    [InlineData("Ada\u200BLovelace", PersonName.InvisibleCharactersMessage)]
    [InlineData("Ada\u202ELovelace", PersonName.InvalidCharactersMessage)]
    public void A_name_the_service_would_refuse_is_flagged_while_typing(string name, string expected)
    {
        var cut = Render<SignUp>();

        cut.Find("#full-name").Input(name);
        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Markup, StringComparison.Ordinal));
        Assert.Empty(Faces.ReceivedCalls());
    }

    [Theory]
    [MemberData(nameof(NameDoorCases.All), MemberType = typeof(NameDoorCases))]
    public void A_name_is_flagged_while_typing_exactly_as_the_other_doors_refuse_it(string typed, string? stored, string? refusal)
    {
        var cut = Render<SignUp>();

        cut.Find("#full-name").Input(typed);
        cut.Find("button.register-button").Click();

        if (refusal is null)
        {
            Assert.Null(SignUp.ValidateFullName(typed));
            Assert.True(PersonName.TryNormalize(typed, out var name, out _));
            Assert.Equal(stored, name);
        }
        else
        {
            cut.WaitForAssertion(() => Assert.Contains(refusal, cut.Markup, StringComparison.Ordinal));
            Assert.Empty(Faces.ReceivedCalls());
        }
    }

    [Fact]
    public void A_name_longer_than_100_characters_is_typed_whole_and_flagged_not_cut()
    {
        var cut = Render<SignUp>();
        var field = cut.Find("#full-name");

        // A browser stops typing at the input's maxlength without a word: it must leave room past 100.
        Assert.True(int.Parse(field.GetAttribute("maxlength") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > PersonName.MaxLength,
            $"The name field cuts input at {field.GetAttribute("maxlength")} characters.");
        field.Input(new string('a', 101));
        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(PersonName.TooLongMessage, cut.Markup, StringComparison.Ordinal));
        Assert.Empty(Faces.ReceivedCalls());
    }

    [Fact]
    public void Register_without_a_photo_asks_for_one()
    {
        var cut = Render<SignUp>();
        FillInNameAndConsent(cut, "Ada Lovelace");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("Please take a photo of your face first.", cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Assert.Empty(Faces.ReceivedCalls());
    }

    [Fact]
    public void Registering_signs_the_person_in_through_a_one_time_ticket_and_a_full_page_load()
    {
        FaceEngineAccepts();
        Person? stored = null;
        Directory.AddPersonAdminIfFirstAsync(Arg.Do<Person>(p => stored = p), Arg.Any<RegisteredFace>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Person>());
        var cut = RenderWithPhoto("Ada Lovelace");

        cut.Find("button.register-button").Click();

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        cut.WaitForAssertion(() => Assert.Single(navigation.History));
        var entry = navigation.History.Single();
        Assert.True(entry.Options.ForceLoad);
        Assert.StartsWith("auth/complete?ticket=", entry.Uri, StringComparison.Ordinal);
        var ticket = Uri.UnescapeDataString(entry.Uri["auth/complete?ticket=".Length..]);
        Assert.NotNull(stored);
        Assert.Equal("Ada Lovelace", stored.FullName);
        Assert.Equal(stored.Id, Services.GetRequiredService<SignInTickets>().Redeem(ticket));
        Faces.Received().DetectFacesAsync(Arg.Is<ReadOnlyMemory<byte>>(m => m.ToArray().SequenceEqual(Photo)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void No_face_in_the_photo()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([], 640, 480));

        AssertRefusedWith(FaceFeedback.NoFace, Severity.Warning);
    }

    [Fact]
    public void Several_faces_in_the_photo()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([GoodFace(), GoodFace()], 640, 480));

        AssertRefusedWith(FaceFeedback.MultipleFaces, Severity.Warning);
    }

    [Fact]
    public void A_face_too_small_to_register()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([GoodFace(sizePx: 20)], 640, 480));

        AssertRefusedWith(FaceFeedback.ForReason(UnindexedReason.SmallBoundingBox), Severity.Warning);
    }

    [Fact]
    public void A_photo_the_engine_cannot_read()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new FaceImageRejectedException(ImageProblem.Corrupt, "corrupt"));

        AssertRefusedWith(FaceFeedback.ForImageProblem(ImageProblem.Corrupt), Severity.Warning);
    }

    [Fact]
    public void A_face_that_is_already_registered_points_to_sign_in_without_saying_whose_it_is()
    {
        FaceIsSomeoneElses();

        var cut = AssertRefusedWith(RegistrationService.AlreadyRegisteredMessage, Severity.Info);

        Assert.Equal("login", cut.Find(".registration-message a").GetAttribute("href"));
        Assert.Equal("false", cut.Find(".registration-message a").GetAttribute("data-enhance-nav"));
    }

    [Fact]
    public void A_storage_failure_says_nothing_was_kept()
    {
        FaceEngineAccepts();
        Images.PutAsync(Arg.Any<FaceImageKey>(), Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<FaceImageMetadata>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IOException("disk full"));

        AssertRefusedWith(RegistrationService.FailedMessage, Severity.Error);
    }

    [Fact]
    public void A_new_photo_clears_the_previous_complaint()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([], 640, 480));
        var cut = AssertRefusedWith(FaceFeedback.NoFace, Severity.Warning);

        cut.Find("button.camera-retake").Click();
        cut.WaitForElement("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".registration-message")));
    }

    [Fact]
    public void Registrations_beyond_the_limit_per_address_are_refused_before_any_face_work()
    {
        Services.Configure<FaceLoginWebOptions>(o => o.SignUpPermitLimit = 2);
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([], 640, 480));
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");

        for (var i = 1; i <= 2; i++)
        {
            cut.Find("button.register-button").Click();
            cut.WaitForAssertion(() => Faces.Received(i).DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()));
            cut.WaitForAssertion(() => Assert.False(cut.Find("button.register-button").HasAttribute("disabled")));
        }

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(SignUpThrottle.Message, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Faces.Received(2).DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>());
        // Photos without a face ask no face question: the page's throttle bounds them, the address throttle never sees them.
        Directory.DidNotReceive().TryStartLoginAttemptAsync(
            Arg.Any<Guid>(), "203.0.113.5", Arg.Any<DateTimeOffset>(), Arg.Any<AddressThrottle>(), Arg.Any<CancellationToken>());

        // Another address has its own allowance.
        var other = RenderWithPhoto("Ada", clientAddress: "198.51.100.8");
        other.Find("button.register-button").Click();
        other.WaitForAssertion(() => Faces.Received(3).DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()));
    }

    [Fact]
    public void An_already_registered_refusal_is_recorded_as_a_failed_attempt_of_the_pages_client_address()
    {
        FaceIsSomeoneElses();
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(RegistrationService.AlreadyRegisteredMessage, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Directory.Received(1).AddLoginAttemptAsync(
            Arg.Is<LoginAttempt>(a => a.Outcome == LoginOutcome.AlreadyRegistered && a.ClientAddress == "203.0.113.5" && a.PersonId == null),
            Arg.Any<CancellationToken>());
        Assert.True(LoginOutcome.AlreadyRegistered.CountsTowardsLockOut());
    }

    [Fact]
    public void The_page_and_the_services_behind_it_log_no_names_at_information_level()
    {
        var logs = new CapturedLogs();
        Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        Services.Configure<FaceLoginWebOptions>(o => o.SignUpPermitLimit = 2);
        FaceEngineAccepts();
        Directory.AddPersonAdminIfFirstAsync(Arg.Any<Person>(), Arg.Any<RegisteredFace>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Person>());
        var cut = RenderWithPhoto("Ada Lovelace", clientAddress: "203.0.113.5");

        cut.Find("button.register-button").Click();
        cut.WaitForAssertion(() => Assert.Single(Services.GetRequiredService<BunitNavigationManager>().History));
        FaceIsSomeoneElses();
        var again = RenderWithPhoto("Eve Example", clientAddress: "203.0.113.5");
        ClickRegisterUntilTheMessageSays(again, RegistrationService.AlreadyRegisteredMessage);
        ClickRegisterUntilTheMessageSays(again, SignUpThrottle.Message);

        var entries = logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Information).ToList();
        Assert.Contains(entries, e => e.Message.Contains("Registered person", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("AlreadyRegistered", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("throttled", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Message.Contains("Ada Lovelace", StringComparison.Ordinal) || e.Message.Contains("Eve Example", StringComparison.Ordinal));
    }

    [Fact]
    public void A_delayed_address_is_told_how_long_to_wait_and_no_face_is_searched()
    {
        FaceEngineAccepts();
        Directory.TryStartLoginAttemptAsync(
                Arg.Any<Guid>(), Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<AddressThrottle>(), Arg.Any<CancellationToken>())
            .Returns(new ThrottleDecision(false, TimeSpan.FromSeconds(45)));
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("Please wait 45 seconds", cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Assert.Contains("mud-alert-text-error", cut.Find(".registration-message").ClassName, StringComparison.Ordinal);
        Faces.DidNotReceive().SearchFacesByImageAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<float>(), Arg.Any<int>(), Arg.Any<CancellationToken>());
        Faces.DidNotReceive().IndexFaceAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    /// <summary>Issue 9 point 3: a photo the door refuses asks no face question, so it never reaches the throttle's gate.</summary>
    [Fact]
    public void A_photo_without_a_usable_face_says_why_and_takes_no_slot()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([], 640, 480));
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(FaceFeedback.NoFace, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Directory.DidNotReceive().TryStartLoginAttemptAsync(
            Arg.Any<Guid>(), Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<AddressThrottle>(), Arg.Any<CancellationToken>());
        Directory.Received(1).AddLoginAttemptAsync(
            Arg.Is<LoginAttempt>(a => a.Outcome == LoginOutcome.NoFace && a.ClientAddress == "203.0.113.5"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task When_face_work_is_saturated_the_page_says_the_service_is_busy_and_nothing_is_looked_at()
    {
        Services.Configure<FaceWorkOptions>(o => (o.MaxConcurrency, o.MaxWaitMilliseconds) = (1, 0));
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Services.GetRequiredService<FaceWorkQueue>().RunAsync(() => gate.Task, Xunit.TestContext.Current.CancellationToken);

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(FaceWorkBusyException.UserMessage, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Assert.Contains("mud-alert-text-error", cut.Find(".registration-message").ClassName, StringComparison.Ordinal);
        Assert.False(cut.Find("button.register-button").HasAttribute("disabled"));
        await Faces.DidNotReceive().DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>());
        await Directory.DidNotReceive().TryStartLoginAttemptAsync(
            Arg.Any<Guid>(), Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<AddressThrottle>(), Arg.Any<CancellationToken>());
        gate.SetResult(0);
        await holder;
    }

    [Fact]
    public void Photos_answered_no_face_spend_the_addresses_face_work_budget_and_past_it_the_page_says_so()
    {
        Services.Configure<FaceLoginWebOptions>(o => o.FaceWorkUnitLimit = 2);
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([], 640, 480));
        var cut = RenderWithPhoto("Eve", clientAddress: "203.0.113.5");

        ClickRegisterUntilTheMessageSays(cut, FaceFeedback.NoFace);
        ClickRegisterUntilTheMessageSays(cut, FaceFeedback.NoFace);
        ClickRegisterUntilTheMessageSays(cut, FaceWorkMeter.Message);

        Faces.Received(2).DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>());
        Assert.Contains("mud-alert-text-error", cut.Find(".registration-message").ClassName, StringComparison.Ordinal);
    }

    private IRenderedComponent<SignUp> AssertRefusedWith(string message, Severity severity)
    {
        var cut = RenderWithPhoto("Ada Lovelace");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Assert.Contains($"mud-alert-text-{severity.ToString().ToLowerInvariant()}", cut.Find(".registration-message").ClassName, StringComparison.Ordinal);
        Assert.Empty(Services.GetRequiredService<BunitNavigationManager>().History);
        Assert.False(cut.Find("button.register-button").HasAttribute("disabled"));
        return cut;
    }

    private IRenderedComponent<SignUp> RenderWithPhoto(string name, string? clientAddress = null)
    {
        var cut = clientAddress is null ? Render<SignUp>() : Render<SignUp>(p => p.AddCascadingValue(new PageClient(clientAddress)));
        FillInNameAndConsent(cut, name);
        return TakePhoto(cut);
    }

    /// <summary>One clear face, which matches a face registered to somebody else.</summary>
    private void FaceIsSomeoneElses()
    {
        FaceEngineAccepts();
        var someoneElse = Guid.NewGuid();
        var theirFace = new FaceRecord("face-1", someoneElse.ToString("N"), new BoundingBox(0.3f, 0.3f, 0.4f, 0.4f), 99, "img");
        Faces.SearchFacesByImageAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<float>(), Arg.Any<int>(), Arg.Any<CancellationToken>())
            .Returns(new SearchByImageResult(GoodFace(), [new FaceMatch(theirFace, 97)]));
        Directory.FindFaceAsync("face-1", Arg.Any<CancellationToken>())
            .Returns(new RegisteredFace("face-1", someoneElse, FaceImageKey.New(someoneElse), theirFace.Box, DateTimeOffset.UtcNow));
    }

    /// <summary>One clear face, nobody like it registered, indexing works.</summary>
    private void FaceEngineAccepts()
    {
        Faces.DetectFacesAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>()).Returns(new DetectFacesResult([GoodFace()], 640, 480));
        Faces.SearchFacesByImageAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<float>(), Arg.Any<int>(), Arg.Any<CancellationToken>())
            .Returns(new SearchByImageResult(GoodFace(), []));
        Faces.IndexFaceAsync(Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => new IndexFacesResult(
                new FaceRecord("new-face", call.ArgAt<string>(1), GoodFace().Box, 99, "image"), GoodFace(), [], "test-model"));
    }

    private static FaceDetail GoodFace(float sizePx = 200) => new(
        new BoundingBox(0.3f, 0.25f, 0.35f, 0.45f),
        99.5f,
        new FacePose(0, 0, 0),
        new FaceQuality(70, 70, sizePx),
        new FaceLandmarks5(new(0.4f, 0.4f), new(0.6f, 0.4f), new(0.5f, 0.5f), new(0.42f, 0.6f), new(0.58f, 0.6f)));

    private static void FillInNameAndConsent(IRenderedComponent<SignUp> cut, string name)
    {
        cut.Find("#full-name").Input(name);
        cut.Find(".consent-check input[type=checkbox]").Change(true);
    }
}
