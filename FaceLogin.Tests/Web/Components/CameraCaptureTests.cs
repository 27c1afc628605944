using Bunit;
using FaceLogin.Web.Components.Camera;
using Microsoft.AspNetCore.Components;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace FaceLogin.Tests.Web.Components;

/// <summary>The camera component's states and buttons, with the camera service substituted.</summary>
public sealed class CameraCaptureTests : ComponentTestContext
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9];

    private static ElementReference AnyElement => Arg.Any<ElementReference>();

    private static CancellationToken AnyToken => Arg.Any<CancellationToken>();

    [Fact]
    public void Starts_the_camera_and_shows_the_live_preview()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);

        var cut = Render<CameraCapture>();

        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));
        Assert.DoesNotContain("camera-hidden", cut.Find("video").ClassName, StringComparison.Ordinal);
        Assert.Contains("camera-hidden", cut.Find("canvas").ClassName, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void Shows_the_outcome_when_the_camera_answers_later()
    {
        var answer = new TaskCompletionSource<CameraStatus>();
        Camera.StartAsync(AnyElement, AnyToken).Returns(answer.Task);
        var cut = Render<CameraCapture>();
        cut.WaitForAssertion(() => Assert.Contains("Starting the camera", cut.Markup, StringComparison.Ordinal));

        answer.SetResult(CameraStatus.NoCamera);

        cut.WaitForAssertion(() => Assert.Equal(CameraMessages.For(CameraStatus.NoCamera), cut.Find(".camera-message").TextContent));
    }

    [Theory]
    [InlineData(CameraStatus.Denied, "blocked")]
    [InlineData(CameraStatus.NoCamera, "No camera was found")]
    [InlineData(CameraStatus.Busy, "in use by another program")]
    [InlineData(CameraStatus.Unsupported, "can't use a camera")]
    [InlineData(CameraStatus.Failed, "could not be started")]
    public void Explains_why_the_camera_cannot_be_used_and_offers_to_try_again(CameraStatus status, string expected)
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(status);

        var cut = Render<CameraCapture>();

        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Find("[role=alert] .camera-message").TextContent, StringComparison.Ordinal));
        Assert.Equal(CameraMessages.For(status), cut.Find(".camera-message").TextContent);
        Assert.True(cut.Find("button.camera-take").HasAttribute("disabled"));
        Assert.NotNull(cut.Find("button.camera-retry"));
    }

    [Fact]
    public void Try_again_asks_for_the_camera_again()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Denied, CameraStatus.Live);
        var cut = Render<CameraCapture>();
        cut.WaitForElement("button.camera-retry");

        cut.Find("button.camera-retry").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=alert]")));
        Assert.False(cut.Find("button.camera-take").HasAttribute("disabled"));
        Camera.Received(2).StartAsync(AnyElement, AnyToken);
    }

    [Fact]
    public void Take_photo_hands_over_the_jpeg_shows_the_snapshot_and_turns_the_camera_off()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);
        Camera.TakePhotoAsync(AnyElement, AnyElement, AnyToken).Returns(Jpeg);
        byte[]? received = null;
        var cut = Render<CameraCapture>(p => p.Add(c => c.PhotoChanged, (byte[]? photo) => received = photo));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForElement("button.camera-retake");
        Assert.Equal(Jpeg, received);
        Assert.DoesNotContain("camera-hidden", cut.Find("canvas").ClassName, StringComparison.Ordinal);
        Assert.Contains("camera-hidden", cut.Find("video").ClassName, StringComparison.Ordinal);
        Camera.Received(1).StopAsync(AnyElement, AnyToken);
    }

    [Fact]
    public void Retake_discards_the_photo_and_restarts_the_camera()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);
        Camera.TakePhotoAsync(AnyElement, AnyElement, AnyToken).Returns(Jpeg);
        var changes = new List<byte[]?>();
        var cut = Render<CameraCapture>(p => p.Add(c => c.PhotoChanged, (byte[]? photo) => changes.Add(photo)));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));
        cut.Find("button.camera-take").Click();
        cut.WaitForElement("button.camera-retake");

        cut.Find("button.camera-retake").Click();

        cut.WaitForElement("button.camera-take");
        Assert.Equal([Jpeg, null], changes);
        Assert.Contains("camera-hidden", cut.Find("canvas").ClassName, StringComparison.Ordinal);
        Camera.Received(2).StartAsync(AnyElement, AnyToken);
    }

    [Fact]
    public void A_failed_capture_is_explained_and_keeps_the_camera_live()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);
        Camera.TakePhotoAsync(AnyElement, AnyElement, AnyToken).ThrowsAsync(new CameraCaptureException("The camera has no picture yet."));
        var photoChanged = false;
        var cut = Render<CameraCapture>(p => p.Add(c => c.PhotoChanged, (byte[]? _) => photoChanged = true));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Contains("no picture yet", cut.Find(".camera-error").TextContent, StringComparison.Ordinal));
        Assert.False(photoChanged);
        Assert.False(cut.Find("button.camera-take").HasAttribute("disabled"));
    }

    [Fact]
    public void Disabled_keeps_the_take_photo_button_off()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);

        var cut = Render<CameraCapture>(p => p.Add(c => c.Disabled, true));

        cut.WaitForAssertion(() => Camera.Received(1).StartAsync(AnyElement, AnyToken));
        Assert.True(cut.Find("button.camera-take").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Leaving_the_page_turns_the_camera_off()
    {
        Camera.StartAsync(AnyElement, AnyToken).Returns(CameraStatus.Live);
        var cut = Render<CameraCapture>();
        cut.WaitForAssertion(() => Camera.Received(1).StartAsync(AnyElement, AnyToken));

        await DisposeComponentsAsync();

        await Camera.Received(1).StopAsync(AnyElement, AnyToken);
    }
}
