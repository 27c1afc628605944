using Bunit;
using FaceLogin.Web.Components.Pages;

namespace FaceLogin.Tests.Web.Components;

/// <summary>What a person does on the rendered sign-up page, shared by its component tests.</summary>
internal static class SignUpPageDriver
{
    /// <summary>Presses "take" once the camera allows it (a photo, or a burst at a liveness door) and waits for "retake".</summary>
    public static IRenderedComponent<SignUp> TakePhoto(IRenderedComponent<SignUp> cut)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));
        cut.Find("button.camera-take").Click();
        cut.WaitForElement("button.camera-retake");
        return cut;
    }

    public static void ClickRegisterUntilTheMessageSays(IRenderedComponent<SignUp> cut, string message)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.register-button").HasAttribute("disabled")));
        cut.Find("button.register-button").Click();
        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(".registration-message").TextContent, StringComparison.Ordinal));
    }
}
