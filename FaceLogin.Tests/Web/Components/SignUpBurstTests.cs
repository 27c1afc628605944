using Bunit;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using static FaceLogin.Tests.Web.Components.SignUpPageDriver;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// The sign-up page where its door asks for a burst (the default, Both): the page draws the challenge in the circuit, gives
/// the camera its steps and the server's timing, and sends the burst once, before the challenge expires. The judge behind
/// the real registration service sees scripted frames (<see cref="ScriptedLivenessAnalyzer"/>).
/// </summary>
public sealed class SignUpBurstTests : ComponentTestContext
{
    private readonly ScriptedLivenessAnalyzer _analyzer = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public SignUpBurstTests()
        : base(new Dictionary<string, string?>
        {
            ["FaceLogin:Liveness:SignUp"] = "Both",
            ["FaceLogin:Liveness:Challenge:FixedSteps:0"] = "TurnLeft",
            ["FaceLogin:Liveness:Challenge:FixedSteps:1"] = "TurnRight",
            ["FaceLogin:Liveness:Burst:LookMs"] = "900",
        })
    {
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(sp => new LivenessJudge(_analyzer, sp.GetRequiredService<IOptions<LivenessOptions>>()));
        Camera.StartAsync(Arg.Any<ElementReference>(), Arg.Any<CancellationToken>()).Returns(CameraStatus.Live);
        // A person who looks at the camera and never turns: the judge answers "follow the arrows".
        var frames = Enumerable.Range(1, 8).Select(i => _analyzer.Script([0xFF, 0xD8, (byte)i, 0xFF, 0xD9], new ScriptedFrame(Yaw: 2))).ToArray();
        Camera.CaptureBurstAsync(Arg.Any<ElementReference>(), Arg.Any<ElementReference>(), Arg.Any<ElementReference>(), Arg.Any<BurstPlan>(), Arg.Any<CancellationToken>())
            .Returns(new CapturedBurst(frames, [.. Enumerable.Range(0, 8).Select(i => i * 230)], [900, 2100]));
    }

    [Fact]
    public void Take_photo_captures_a_burst_for_the_challenges_steps_at_the_servers_timing_instead_of_a_photo()
    {
        var cut = RenderWithBurst();

        var plan = (BurstPlan)Camera.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(ICameraCapture.CaptureBurstAsync)).GetArguments()[3]!;
        Assert.Equal(["TurnLeft", "TurnRight"], plan.Steps);
        Assert.Equal((900, 1200, 230, 480), (plan.LookMs, plan.StepMs, plan.FrameIntervalMs, plan.FrameMaxSide));
        Assert.Equal("←", plan.Prompts["TurnLeft"].Arrow);
        Assert.Equal(HeadMovementPrompts.LookText, plan.Prompts["Look"].Text);
        Assert.DoesNotContain(Camera.ReceivedCalls(), c => c.GetMethodInfo().Name == nameof(ICameraCapture.TakePhotoAsync));
        Assert.Contains("turn your head the way each arrow shows", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_burst_is_judged_once_and_register_again_asks_for_a_new_capture()
    {
        var cut = RenderWithBurst();

        ClickRegisterUntilTheMessageSays(cut, LivenessFeedback.FollowTheArrows);
        var looks = _analyzer.Looks;
        Assert.Equal(8, looks);

        ClickRegisterUntilTheMessageSays(cut, SignUp.UsedBurstMessage);
        Assert.Equal(looks, _analyzer.Looks);
    }

    [Fact]
    public void A_challenge_answered_after_it_expired_is_not_sent()
    {
        var cut = RenderWithBurst();

        _clock.Advance(TimeSpan.FromSeconds(61));
        ClickRegisterUntilTheMessageSays(cut, SignUp.ExpiredBurstMessage);

        Assert.Equal(0, _analyzer.Looks);
    }

    [Fact]
    public void Retake_draws_a_new_challenge_that_can_be_sent()
    {
        var cut = RenderWithBurst();
        ClickRegisterUntilTheMessageSays(cut, LivenessFeedback.FollowTheArrows);

        cut.Find("button.camera-retake").Click();
        cut.WaitForElement("button.camera-take").Click();
        cut.WaitForElement("button.camera-retake");
        ClickRegisterUntilTheMessageSays(cut, LivenessFeedback.FollowTheArrows);

        Assert.Equal(16, _analyzer.Looks);
    }

    private IRenderedComponent<SignUp> RenderWithBurst()
    {
        var cut = Render<SignUp>();
        cut.Find("#full-name").Input("Ada Lovelace");
        cut.Find(".consent-check input[type=checkbox]").Change(true);
        return TakePhoto(cut);
    }
}
