namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>Why a burst (or a still, at a passive door) was not taken for a live person.</summary>
public enum LivenessRefusal
{
    None,

    /// <summary>The door asks for a burst and got a single photo, or none.</summary>
    BurstMissing,

    /// <summary>Not a burst the page makes: too few or many frames, times out of order or too long, steps that do not match.</summary>
    Malformed,

    /// <summary>No face while the page asked the person to look at the camera.</summary>
    NoFace,

    /// <summary>Two people in view in some frame.</summary>
    SeveralPeople,

    /// <summary>The turns seen were not the steps asked for, in their order, after each was shown.</summary>
    MovementNotFollowed,

    /// <summary>The same picture sent more than once.</summary>
    RepeatedFrames,

    /// <summary>The face turning was not the face looking at the camera.</summary>
    DifferentPeople,

    /// <summary>
    /// The face moved like a flat picture: one homography explains a turn, or the yaw read is far less than the face's
    /// foreshortening says it was turned.
    /// </summary>
    FlatPicture,

    /// <summary>The passive score of the frontal frames says print or screen.</summary>
    PassiveAttack,
}

/// <summary>
/// The judge's answer, with what it measured (for the attempt log, <c>evaluate-pad</c>'s per-check contributions and tuning).
/// </summary>
/// <param name="FrontalFrame">Index of the frame to search or register with; −1 when there is none.</param>
public sealed record LivenessVerdict(LivenessRefusal Refusal, int FrontalFrame, LivenessEvidence Evidence)
{
    public bool IsLive => Refusal == LivenessRefusal.None;

    /// <summary>
    /// A refusal that says something about the presentation rather than the person fumbling with the camera: counted like a
    /// face question that found nobody. No face, two people or a malformed burst are not (they ask nothing).
    /// </summary>
    public bool CountsAsAttempt => Refusal is LivenessRefusal.BurstMissing or LivenessRefusal.MovementNotFollowed or LivenessRefusal.RepeatedFrames
        or LivenessRefusal.DifferentPeople or LivenessRefusal.FlatPicture or LivenessRefusal.PassiveAttack;
}

/// <summary>What the checks measured; a value is null when its check did not run (an earlier one decided, or the mode skips it).</summary>
/// <param name="FramesLooked">Frames decoded, detected and landmarked.</param>
/// <param name="TurnsSeen">The turns seen, in order (runs of frames past the turn threshold).</param>
/// <param name="PeakYaws">Each turn's largest |yaw|, degrees.</param>
/// <param name="MinPlanarResidual">The smallest residual of a turn against the frontal frame.</param>
/// <param name="MinSamePersonSimilarity">The lowest similarity of a turn's face to the frontal face (0..100).</param>
/// <param name="PassiveScore">Median passive score of the frontal frames.</param>
/// <param name="FramesEmbedded">Frames whose face was embedded.</param>
/// <param name="FramesScored">Frames given a passive score.</param>
public sealed record LivenessEvidence(
    int FramesLooked,
    IReadOnlyList<HeadMovement> TurnsSeen,
    IReadOnlyList<float> PeakYaws,
    double? MinPlanarResidual,
    float? MinSamePersonSimilarity,
    float? PassiveScore,
    int FramesEmbedded,
    int FramesScored)
{
    /// <summary>Every check that refused, in the order they ran (with <c>allChecks</c>, all of them; otherwise the first).</summary>
    public IReadOnlyList<LivenessRefusal> FailedChecks { get; init; } = [];

    /// <summary>
    /// The lowest agreement of a turn's yaw with its foreshortening (<see cref="ForeshorteningCheck"/>); null when no turn was
    /// foreshortened enough to read an angle from, or the check did not run.
    /// </summary>
    public double? MinTurnAgreement { get; init; }

    public static LivenessEvidence None { get; } = new(0, [], [], null, null, null, 0, 0);
}
