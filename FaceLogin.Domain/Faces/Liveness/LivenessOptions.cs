using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// The <c>FaceLogin:Liveness</c> section: which door asks for what, how the page captures a burst, and the judge's thresholds.
/// Every number is measured in docs/liveness.md; change one only with <c>evaluate-pad</c> run before and after.
/// </summary>
public sealed class LivenessOptions
{
    public const string SectionName = "FaceLogin:Liveness";

    /// <summary>The sign-in page's door (POST /auth/login).</summary>
    public LivenessMode SignIn { get; set; } = LivenessMode.Both;

    /// <summary>The sign-up page's door.</summary>
    public LivenessMode SignUp { get; set; } = LivenessMode.Both;

    /// <summary>How the page captures a burst; sent to the page, checked by the judge.</summary>
    public LivenessBurstShape Burst { get; set; } = new();

    /// <summary>
    /// A frame is frontal (usable as the look phase's face) when |yaw| is at most this. Webcams above or beside the screen
    /// see a person looking at the screen at 5–12° (zub's webcam clip: 7–12°).
    /// </summary>
    [Range(1, 30)]
    public float FrontalMaxYawDegrees { get; set; } = 14;

    /// <summary>A frame shows a turn when |yaw| is at least this (the bona fide turns of pad-dev reach 28–70°).</summary>
    [Range(5, 60)]
    public float TurnMinYawDegrees { get; set; } = 18;

    /// <summary>
    /// A turn proves a 3-D head when the landmarks of its most turned frame leave at least this residual after the best
    /// homography onto the frontal frame's (flat pictures: ≤ 0.025; real turns of ≥ 15°: ≥ 0.055; docs/liveness.md).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinPlanarResidual { get; set; } = 0.04;

    /// <summary>
    /// Each turn's yaw over the angle its foreshortening implies must be at least this (<see cref="ForeshorteningCheck"/>):
    /// a head's is about 1 (bona fide bursts of pad-dev: 0.95 and up), a flat picture turned far enough to read as a turn a
    /// fraction (synthetic turned prints and screens: 0.36–0.85, 8 of 11 below 0.7; docs/liveness.md, "Foreshortening").
    /// </summary>
    [Range(0.0, 2.0)]
    public double MinTurnAgreement { get; set; } = 0.7;

    /// <summary>
    /// The frontal face and each turn's least-turned frame past <see cref="TurnMinYawDegrees"/> must be this similar
    /// (0..100, the collection's scale): the same person throughout, not a photo swapped for another mid-burst. Measured
    /// (docs/liveness.md, "Measured: evaluate-pad"): bona fide bursts 61 and up (a webcam turning 60°), the attacks that
    /// reached this check 0–42; 50 sits between with room on the bona fide side.
    /// </summary>
    [Range(0.0, 100.0)]
    public float MinSamePersonSimilarity { get; set; } = 50;

    /// <summary>
    /// The median passive score of the look phase's frontal frames (at most <see cref="PassiveFrames"/>) must be at least
    /// this (<see cref="LivenessMode.Both"/>); a single photo's score, at least this too (<see cref="LivenessMode.Passive"/>).
    /// </summary>
    [Range(0.0, 1.0)]
    public float MinPassiveScore { get; set; } = 0.1f;

    /// <summary>
    /// How many frames of one burst are looked at at once. Every frame must be looked at (the trajectory needs them all), so a
    /// burst's time is the frames' over this; 2 suits the 2-core machine it was measured on (docs/liveness.md, "Cost").
    /// </summary>
    [Range(1, 16)]
    public int LookParallelism { get; set; } = 2;

    /// <summary>How many of the look phase's frontal frames the passive score is taken over (the most frontal first).</summary>
    [Range(1, 10)]
    public int PassiveFrames { get; set; } = 3;
}

/// <summary>
/// The burst the page captures: a look phase, then each step for <see cref="StepMs"/>, one frame every
/// <see cref="FrameIntervalMs"/>, each frame shrunk to <see cref="FrameMaxSide"/> pixels. Two steps take 3.2 s and 14 frames,
/// three 4.4 s and 19 (issue 10: 10–20 frames over about 4 s).
/// </summary>
public sealed class LivenessBurstShape
{
    /// <summary>"Look at the camera" before the first step: the frontal frames.</summary>
    [Range(300, 3000)]
    public int LookMs { get; set; } = 800;

    /// <summary>Each step's time: read the arrow, turn, and come back.</summary>
    [Range(500, 3000)]
    public int StepMs { get; set; } = 1200;

    [Range(100, 1000)]
    public int FrameIntervalMs { get; set; } = 230;

    [Range(160, 960)]
    public int FrameMaxSide { get; set; } = 480;

    /// <summary>Fewer frames than this is not a burst (a camera that stalled; or a client not following the page).</summary>
    [Range(3, 60)]
    public int MinFrames { get; set; } = 6;

    [Range(3, 60)]
    public int MaxFrames { get; set; } = 24;

    /// <summary>The longest burst the judge accepts, page slack included.</summary>
    public int MaxDurationMs(int steps) => LookMs + (steps * StepMs) + 1000;
}
