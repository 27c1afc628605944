using Bunit;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using NSubstitute;

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
    [InlineData("Ada\u0007Lovelace", "characters that are not allowed")]
    public void A_name_the_service_would_refuse_is_flagged_while_typing(string name, string expected)
    {
        var cut = Render<SignUp>();

        cut.Find("#full-name").Input(name);
        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Markup, StringComparison.Ordinal));
        Assert.Empty(Faces.ReceivedCalls());
    }

    [Fact]
    public void A_name_longer_than_100_characters_is_flagged() =>
        Assert.Equal("Your name can have at most 100 characters.", SignUp.ValidateFullName(new string('a', 101)));

    [Fact]
    public void Register_without_a_photo_asks_for_one()
    {
        var cut = Render<SignUp>();
        FillInNameAndConsent(cut, "Ada Lovelace");

        cut.Find("button.register-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("Please take a photo of your face first.", cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
        Assert.Empty(Faces.ReceivedCalls());
    }

    private static void FillInNameAndConsent(IRenderedComponent<SignUp> cut, string name)
    {
        cut.Find("#full-name").Input(name);
        cut.Find(".consent-check input[type=checkbox]").Change(true);
    }
}
