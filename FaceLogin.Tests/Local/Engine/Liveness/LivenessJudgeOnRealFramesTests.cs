using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Options;
using static FaceLogin.Tests.Support.ClipBursts;

namespace FaceLogin.Tests.Local.Engine.Liveness;

/// <summary>
/// The judge with the real engine on real frames: pad-dev's phone-selfie clip (tvl/real.mp4: frontal until 1.7 s, a turn
/// to the person's left 1.8–5.4 s, back at 5.8 s, a turn to the right 7.3–10.4 s) edited into a burst at the page's times,
/// and the same footage replayed on a laptop (tvl/fake.mp4, the same movements 2.6–2.7 s later). The page's times: look
/// phase 0–800 ms, "turn left" shown at 800 ms, "turn right" at 2000 ms.
/// </summary>
[Collection(LocalFaceEngineCollection.Name)]
public sealed class LivenessJudgeOnRealFramesTests(LocalFaceEngineFixture fixture) : IDisposable
{
    private static readonly HeadMovement[] LeftThenRight = [HeadMovement.TurnLeft, HeadMovement.TurnRight];
    private static readonly int[] StepTimes = [800, 2000];

    private readonly PassiveLivenessScorer _scorer = new(
        new PassiveLivenessOptions(ModelCatalogue.Default.PathOf(FaceModel.MiniFasNet)), new OnnxRuntimeOptions());

    [Fact]
    public void The_live_head_turning_as_asked_is_live_under_both_checks()
    {
        var verdict = Judge(new LivenessBurst(LeftThenRight, StepTimes, LiveBurst()), LivenessMode.Both);

        Assert.True(verdict.IsLive, Describe(verdict));
        Assert.Equal(LeftThenRight, verdict.Evidence.TurnsSeen);
    }

    [Fact]
    public void The_same_footage_answering_the_other_order_is_refused()
    {
        var verdict = Judge(new LivenessBurst([HeadMovement.TurnRight, HeadMovement.TurnLeft], StepTimes, LiveBurst()), LivenessMode.Both);

        Assert.Equal(LivenessRefusal.MovementNotFollowed, verdict.Refusal);
    }

    [Fact]
    public void The_laptop_replay_of_the_footage_is_refused_by_the_passive_check()
    {
        var replay = Cut("tvl/fake.mp4", new Segment(3.7, 800, 0), new Segment(4.3, 1200, 800), new Segment(8.0, 500, 2000), new Segment(9.9, 700, 2500));

        var both = Judge(new LivenessBurst(LeftThenRight, StepTimes, replay), LivenessMode.Both);

        Assert.Equal(LivenessRefusal.PassiveAttack, both.Refusal);
    }

    [Fact]
    public void A_still_frame_repeated_is_refused()
    {
        var frontal = LiveBurst()[0];
        var still = Enumerable.Range(0, 14).Select(i => new LivenessFrame(frontal.Image, i * FrameIntervalMs)).ToList();

        Assert.Equal(LivenessRefusal.RepeatedFrames, Judge(new LivenessBurst(LeftThenRight, StepTimes, still), LivenessMode.Both).Refusal);
    }

    public void Dispose() => _scorer.Dispose();

    /// <summary>Frontal 1.0–1.8 s; the left turn from 1.5 s (it starts at 1.8 s, a reaction after the arrow); back and the right turn.</summary>
    private static List<LivenessFrame> LiveBurst() =>
        Cut("tvl/real.mp4", new Segment(1.0, 800, 0), new Segment(1.5, 1200, 800), new Segment(5.3, 500, 2000), new Segment(7.2, 700, 2500));

    private LivenessVerdict Judge(LivenessBurst burst, LivenessMode mode)
    {
        var analyzer = new LocalLivenessFrameAnalyzer(fixture.Engine, _scorer, fixture.Engine.Scale);
        var judge = new LivenessJudge(analyzer, Options.Create(new LivenessOptions()));
        return judge.JudgeBurst(burst, scorePassive: mode == LivenessMode.Both, TestContext.Current.CancellationToken);
    }

    private static string Describe(LivenessVerdict verdict) =>
        $"{verdict.Refusal}: turns [{string.Join(", ", verdict.Evidence.TurnsSeen)}] peaks [{string.Join(", ", verdict.Evidence.PeakYaws.Select(y => y.ToString("0")))}], " +
        $"residual {verdict.Evidence.MinPlanarResidual:0.000}, same person {verdict.Evidence.MinSamePersonSimilarity:0.0}, passive {verdict.Evidence.PassiveScore:0.000}";
}
