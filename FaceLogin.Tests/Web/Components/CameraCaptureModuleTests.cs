using Bunit;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Domain.Faces.Cost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// The camera component with the real <see cref="JsCameraCapture"/>, talking to its JS module through bUnit's module interop:
/// which functions it calls, how it reads the JS stream, and the size limit on that stream.
/// </summary>
public sealed class CameraCaptureModuleTests : ComponentTestContext
{
    private const int MaxPhotoBytes = 4096;

    private readonly BunitJSModuleInterop _module;

    public CameraCaptureModuleTests()
    {
        Services.AddScoped<ICameraCapture, JsCameraCapture>();
        Services.Configure<ImageBudgetOptions>(o => o.SignUp.MaxBytes = MaxPhotoBytes);
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule(JsCameraCapture.ModulePath);
        _module.SetupVoid("stopCamera", _ => true).SetVoidResult();
    }

    [Fact]
    public void Starts_the_camera_through_the_module_with_the_video_element()
    {
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");

        var cut = Render<CameraCapture>();

        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));
        var start = Assert.Single(_module.Invocations["startCamera"]);
        Assert.Single(start.Arguments);
    }

    [Theory]
    [InlineData("Denied", CameraStatus.Denied)]
    [InlineData("NoCamera", CameraStatus.NoCamera)]
    [InlineData("something the module never says", CameraStatus.Failed)]
    public void Shows_the_message_for_what_the_module_reports(string fromModule, CameraStatus expected)
    {
        _module.Setup<string>("startCamera", _ => true).SetResult(fromModule);

        var cut = Render<CameraCapture>();

        cut.WaitForAssertion(() => Assert.Equal(CameraMessages.For(expected), cut.Find(".camera-message").TextContent));
    }

    [Fact]
    public void The_photo_arrives_as_a_stream_and_is_handed_over_byte_for_byte()
    {
        var jpeg = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var stream = new MemoryJSStreamReference(jpeg);
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<IJSStreamReference>("takePhoto", _ => true).SetResult(stream);
        byte[]? received = null;
        var cut = Render<CameraCapture>(p => p.Add(c => c.PhotoChanged, (byte[]? photo) => received = photo));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForElement("button.camera-retake");
        Assert.Equal(jpeg, received);
        Assert.True(stream.Disposed);
        Assert.Equal(2, Assert.Single(_module.Invocations["takePhoto"]).Arguments.Count);
        Assert.Single(_module.Invocations["stopCamera"]);
    }

    [Fact]
    public void A_photo_over_the_limit_is_refused_before_it_is_read()
    {
        var stream = new MemoryJSStreamReference(new byte[MaxPhotoBytes + 1]);
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<IJSStreamReference>("takePhoto", _ => true).SetResult(stream);
        var photoChanged = false;
        var cut = Render<CameraCapture>(p => p.Add(c => c.PhotoChanged, (byte[]? _) => photoChanged = true));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Contains("too large. Use a smaller photo (at most 4 KB)", cut.Find(".camera-error").TextContent, StringComparison.Ordinal));
        Assert.False(photoChanged);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public void A_capture_the_module_rejects_is_explained()
    {
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<IJSStreamReference>("takePhoto", _ => true).SetException(new JSException("The camera has not delivered a picture yet."));
        var cut = Render<CameraCapture>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Contains("no picture yet", cut.Find(".camera-error").TextContent, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("more bytes than declared")]
    [InlineData("io")]
    [InlineData("js")]
    public void A_photo_transfer_that_breaks_is_a_photo_to_retake_not_a_dead_page(string failure)
    {
        Exception error = failure switch
        {
            "io" => new IOException("connection reset"),
            "js" => new JSException("stream failed"),
            _ => new InvalidOperationException("The incoming data stream declared a length 3000, but 4000 bytes were sent."),
        };
        var stream = new MemoryJSStreamReference(new byte[3000], failsWith: error);
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<IJSStreamReference>("takePhoto", _ => true).SetResult(stream);
        var cut = Render<CameraCapture>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Contains("did not arrive", cut.Find(".camera-error").TextContent, StringComparison.Ordinal));
        Assert.False(cut.Find("button.camera-take").HasAttribute("disabled"));
        Assert.True(stream.Disposed);
    }

    [Fact]
    public void A_module_that_fails_to_start_the_camera_offers_to_try_again()
    {
        _module.Setup<string>("startCamera", _ => true).SetException(new JSException("import failed"));

        var cut = Render<CameraCapture>();

        cut.WaitForAssertion(() => Assert.Equal(CameraMessages.For(CameraStatus.Failed), cut.Find(".camera-message").TextContent));
        Assert.NotNull(cut.Find("button.camera-retry"));
    }

    [Fact]
    public async Task Reading_stops_at_the_limit_even_when_the_stream_claims_to_be_small()
    {
        using var longerThanClaimed = new MemoryStream(new byte[MaxPhotoBytes + 1]);

        var error = await Assert.ThrowsAsync<CameraCaptureException>(
            () => JsCameraCapture.ReadAtMostAsync(longerThanClaimed, MaxPhotoBytes, Xunit.TestContext.Current.CancellationToken));

        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_photo_is_refused()
    {
        using var empty = new MemoryStream();

        await Assert.ThrowsAsync<CameraCaptureException>(
            () => JsCameraCapture.ReadAtMostAsync(empty, MaxPhotoBytes, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_burst_arrives_as_one_stream_and_is_cut_into_its_frames_at_the_sizes_the_script_gave()
    {
        byte[][] frames = [[1, 2, 3], [4, 5], [6, 7, 8, 9]];
        var stream = new MemoryJSStreamReference([.. frames.SelectMany(f => f)]);
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<JsCameraCapture.BurstShape>("captureBurstForCircuit", _ => true)
            .SetResult(new JsCameraCapture.BurstShape([0, 230, 460], [800, 2000], [3, 2, 4]));
        _module.Setup<IJSStreamReference>("burstFrames", _ => true).SetResult(stream);
        var plan = new BurstPlan(["TurnLeft", "TurnRight"], 800, 1200, 230, 480, HeadMovementPrompts.ForScript());
        CapturedBurst? received = null;
        var cut = Render<CameraCapture>(p => p
            .Add(c => c.NewBurstPlan, () => plan)
            .Add(c => c.BurstChanged, (CapturedBurst? burst) => received = burst));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForElement("button.camera-retake");
        Assert.NotNull(received);
        Assert.Equal(frames, received.Frames);
        Assert.Equal([0, 230, 460], received.FrameTimes);
        Assert.Equal([800, 2000], received.StepTimes);
        Assert.True(stream.Disposed);
        // The video, the snapshot (the still the person sees), the plan and the prompt element.
        Assert.Equal(4, Assert.Single(_module.Invocations["captureBurstForCircuit"]).Arguments.Count);
        Assert.Same(plan, _module.Invocations["captureBurstForCircuit"][0].Arguments[2]);
    }

    [Theory]
    [InlineData(new[] { 3, 2 })]
    [InlineData(new[] { 3, 2, 5 })]
    [InlineData(new[] { 3, 0, 4 })]
    public void Frame_sizes_that_do_not_add_up_to_the_stream_are_a_burst_to_retake(int[] sizes)
    {
        Assert.Throws<CameraCaptureException>(() => JsCameraCapture.Split(new byte[9], sizes));
    }

    [Fact]
    public void A_burst_over_the_sign_up_doors_byte_limit_is_refused_before_it_is_read()
    {
        var stream = new MemoryJSStreamReference(new byte[MaxPhotoBytes + 1]);
        _module.Setup<string>("startCamera", _ => true).SetResult("Live");
        _module.Setup<JsCameraCapture.BurstShape>("captureBurstForCircuit", _ => true)
            .SetResult(new JsCameraCapture.BurstShape([0], [800, 2000], [MaxPhotoBytes + 1]));
        _module.Setup<IJSStreamReference>("burstFrames", _ => true).SetResult(stream);
        var burstChanged = false;
        var cut = Render<CameraCapture>(p => p
            .Add(c => c.NewBurstPlan, () => new BurstPlan(["TurnLeft"], 800, 1200, 230, 480, HeadMovementPrompts.ForScript()))
            .Add(c => c.BurstChanged, (CapturedBurst? _) => burstChanged = true));
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.camera-take").HasAttribute("disabled")));

        cut.Find("button.camera-take").Click();

        cut.WaitForAssertion(() => Assert.Contains("too large. Use a smaller photo (at most 4 KB)", cut.Find(".camera-error").TextContent, StringComparison.Ordinal));
        Assert.False(burstChanged);
        Assert.True(stream.Disposed);
    }
}
