using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// Decides whether a burst shows a live person answering the challenge: the turns asked for, in their order, each after it
/// was shown; the same person throughout; a 3-D head, not a flat picture; distinct captures; and, where the door asks for
/// it, a passive score of the frontal frames that does not say "attack". The design, thresholds and their measurements are
/// in docs/liveness.md.
/// </summary>
/// <remarks>
/// Cost: every frame is looked at (decode, detect, 68 landmarks: the trajectory needs them all), but only the frontal frame
/// and one frame per turn are embedded, and only the look phase's most frontal frames are scored by the passive net. The
/// checks run cheapest first and stop at the first refusal, unless <c>allChecks</c> asks for each check's answer (the
/// evaluation's per-check contributions).
/// </remarks>
public sealed class LivenessJudge(ILivenessFrameAnalyzer analyzer, IOptions<LivenessOptions> options, DominantFaceRule? faceRule = null)
{
    private readonly LivenessOptions _options = options.Value;
    private readonly DominantFaceRule _faceRule = faceRule ?? DominantFaceRule.Default;
    private readonly PlanarMotionCheck _planar = new();

    public LivenessOptions Options => _options;

    /// <summary>Judges a burst (<see cref="LivenessMode.Active"/>, or with <paramref name="scorePassive"/> <see cref="LivenessMode.Both"/>).</summary>
    /// <param name="allChecks">Run every check even after one refused; <see cref="LivenessEvidence.FailedChecks"/> lists them all.</param>
    /// <exception cref="FaceImageRejectedException">A frame is not a usable image.</exception>
    public LivenessVerdict JudgeBurst(LivenessBurst burst, bool scorePassive, CancellationToken cancellationToken, bool allChecks = false)
    {
        ArgumentNullException.ThrowIfNull(burst);
        if (!IsWellFormed(burst))
        {
            return Refused(LivenessRefusal.Malformed, LivenessEvidence.None);
        }

        var failed = new List<LivenessRefusal>();
        if (HasRepeatedFrame(burst))
        {
            failed.Add(LivenessRefusal.RepeatedFrames);
            if (!allChecks)
            {
                return Refused(LivenessRefusal.RepeatedFrames, LivenessEvidence.None);
            }
        }

        var looks = new LivenessFrameLook[burst.Frames.Count];
        Parallel.For(0, looks.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.LookParallelism, CancellationToken = cancellationToken },
            i => looks[i] = analyzer.Look(burst.Frames[i].Image, cancellationToken));
        var frames = new FrameSeen[looks.Length];
        for (var i = 0; i < frames.Length; i++)
        {
            var verdict = _faceRule.Judge(looks[i].Faces);
            if (verdict.Kind == FaceVerdictKind.SeveralPeople)
            {
                // Someone else in view is not an attack the person can be blamed for, nor an answer: say so, count nothing.
                return Refused(LivenessRefusal.SeveralPeople, LivenessEvidence.None with { FramesLooked = frames.Length });
            }

            frames[i] = new FrameSeen(i, burst.Frames[i].CapturedAtMs, looks[i], verdict.Kind == FaceVerdictKind.NoFace ? null : looks[i].Faces[verdict.Person].Pose);
        }

        var lookPhaseEnds = burst.StepShownAtMs[0];
        var lookPhase = frames.Where(f => f.AtMs < lookPhaseEnds && f.Pose is not null).ToList();
        var frontal = lookPhase.Where(f => IsFrontal(f.Pose!.Value)).MinBy(f => Math.Abs(f.Pose!.Value.Yaw));
        if (frontal is null || frontal.Look.Shape is null)
        {
            // Nobody looked at the camera when asked: a face turned away is not following the page, no face at all is fumbling.
            var refusal = lookPhase.Count == 0 ? LivenessRefusal.NoFace : LivenessRefusal.MovementNotFollowed;
            return Refused(refusal, LivenessEvidence.None with { FramesLooked = frames.Length });
        }

        var turns = Turns(frames);
        var evidence = new LivenessEvidence(
            frames.Length, [.. turns.Select(t => t.Direction)], [.. turns.Select(t => Math.Abs(t.Peak.Pose!.Value.Yaw))], null, null, null, 0, 0);
        if (!FollowsSteps(burst, turns) || lookPhase.Any(f => Turned(f.Pose!.Value) is not null))
        {
            failed.Add(LivenessRefusal.MovementNotFollowed);
            if (!allChecks || turns.Count == 0)
            {
                return Refused(failed[0], evidence with { FailedChecks = failed });
            }
        }

        // A 3-D head: the landmarks of each turn's most turned frame against the frontal frame's, after the best homography.
        // And the yaw read must agree with how far the face was foreshortened: a flat picture must be turned much further than a
        // head to read as turned, which the residual alone does not catch once the picture is turned that far.
        var residual = turns.Min(t => _planar.Residual(frontal.Look.Shape.Value, t.Peak.Look.Shape!.Value));
        var agreement = turns.Min(t => ForeshorteningCheck.Agreement(frontal.Look.Shape.Value, t.Peak.Look.Shape!.Value, t.Peak.Pose!.Value.Yaw));
        evidence = evidence with { MinPlanarResidual = residual, MinTurnAgreement = double.IsFinite(agreement) ? agreement : null };
        if ((residual < _options.MinPlanarResidual || agreement < _options.MinTurnAgreement) && Fail(LivenessRefusal.FlatPicture) is { } flat)
        {
            return flat;
        }

        // The same person throughout: the frontal face against each turn's least turned frame (the most like a frontal face
        // a turn offers, so the recogniser's own weakness with turned faces weighs least).
        var frontalEmbedding = analyzer.Embed(burst.Frames[frontal.Index].Image, frontal.Look, cancellationToken);
        var similarity = turns.Min(t => analyzer.Similarity(frontalEmbedding, analyzer.Embed(burst.Frames[t.Mildest.Index].Image, t.Mildest.Look, cancellationToken)));
        evidence = evidence with { MinSamePersonSimilarity = similarity, FramesEmbedded = turns.Count + 1 };
        if (similarity < _options.MinSamePersonSimilarity && Fail(LivenessRefusal.DifferentPeople) is { } different)
        {
            return different;
        }

        if (scorePassive)
        {
            var scored = lookPhase.Where(f => IsFrontal(f.Pose!.Value)).OrderBy(f => Math.Abs(f.Pose!.Value.Yaw)).Take(_options.PassiveFrames)
                .Select(f => analyzer.PassiveScore(burst.Frames[f.Index].Image, f.Look, cancellationToken)).ToList();
            var median = Median(scored);
            evidence = evidence with { PassiveScore = median, FramesScored = scored.Count };
            if (median < _options.MinPassiveScore && Fail(LivenessRefusal.PassiveAttack) is { } passive)
            {
                return passive;
            }
        }

        evidence = evidence with { FailedChecks = failed };
        return failed.Count == 0 ? new LivenessVerdict(LivenessRefusal.None, frontal.Index, evidence) : Refused(failed[0], evidence);

        LivenessVerdict? Fail(LivenessRefusal refusal)
        {
            failed.Add(refusal);
            return allChecks ? null : Refused(failed[0], evidence with { FailedChecks = failed });
        }
    }

    /// <summary>Judges a single photo by its passive score (<see cref="LivenessMode.Passive"/>).</summary>
    /// <exception cref="FaceImageRejectedException">Not a usable image.</exception>
    public LivenessVerdict JudgeStill(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var look = analyzer.Look(image, cancellationToken);
        if (look.Faces.Count == 0 || look.Shape is null)
        {
            return Refused(LivenessRefusal.NoFace, LivenessEvidence.None with { FramesLooked = 1 });
        }

        var score = analyzer.PassiveScore(image, look, cancellationToken);
        var evidence = LivenessEvidence.None with { FramesLooked = 1, PassiveScore = score, FramesScored = 1 };
        return score < _options.MinPassiveScore
            ? Refused(LivenessRefusal.PassiveAttack, evidence with { FailedChecks = [LivenessRefusal.PassiveAttack] })
            : new LivenessVerdict(LivenessRefusal.None, 0, evidence);
    }

    /// <summary>What the page makes: steps as issued, shown in order inside the burst, frames in time order, not too long.</summary>
    private bool IsWellFormed(LivenessBurst burst)
    {
        var shape = _options.Burst;
        var frames = burst.Frames;
        if (burst.Steps.Count is < HeadMovementChallengeFactory.MinSteps or > HeadMovementChallengeFactory.MaxSteps
            || burst.StepShownAtMs.Count != burst.Steps.Count
            || frames.Count < shape.MinFrames || frames.Count > shape.MaxFrames)
        {
            return false;
        }

        var limit = shape.MaxDurationMs(burst.Steps.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].CapturedAtMs < 0 || frames[i].CapturedAtMs > limit || (i > 0 && frames[i].CapturedAtMs < frames[i - 1].CapturedAtMs))
            {
                return false;
            }
        }

        for (var i = 0; i < burst.StepShownAtMs.Count; i++)
        {
            if (burst.StepShownAtMs[i] <= (i == 0 ? 0 : burst.StepShownAtMs[i - 1]) || burst.StepShownAtMs[i] > limit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Two frames with the same bytes are one capture sent twice (a camera never gives two identical JPEGs).</summary>
    private static bool HasRepeatedFrame(LivenessBurst burst)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var frame in burst.Frames)
        {
            if (!seen.Add(Convert.ToHexString(SHA256.HashData(frame.Image.Span))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The turns in order: runs of frames past the turn threshold in one direction. Frames between (frontal, half-turned, no
    /// face) do not end a run; only a turn the other way does, since a challenge never asks for the same turn twice in a row.
    /// </summary>
    private List<Turn> Turns(FrameSeen[] frames)
    {
        var turns = new List<Turn>();
        foreach (var frame in frames)
        {
            if (frame.Pose is not { } pose || frame.Look.Shape is null || Turned(pose) is not { } direction)
            {
                continue;
            }

            if (turns.Count > 0 && turns[^1].Direction == direction)
            {
                var last = turns[^1];
                turns[^1] = last with
                {
                    Peak = Math.Abs(pose.Yaw) > Math.Abs(last.Peak.Pose!.Value.Yaw) ? frame : last.Peak,
                    Mildest = Math.Abs(pose.Yaw) < Math.Abs(last.Mildest.Pose!.Value.Yaw) ? frame : last.Mildest,
                };
            }
            else
            {
                turns.Add(new Turn(direction, frame.AtMs, frame, frame));
            }
        }

        return turns;
    }

    /// <summary>Exactly the steps asked for, in their order, each begun after the page showed it.</summary>
    private static bool FollowsSteps(LivenessBurst burst, List<Turn> turns) =>
        turns.Count == burst.Steps.Count
        && turns.Select((t, i) => t.Direction == burst.Steps[i] && t.StartedAtMs >= burst.StepShownAtMs[i]).All(ok => ok);

    private bool IsFrontal(FacePose pose) => Math.Abs(pose.Yaw) <= _options.FrontalMaxYawDegrees;

    /// <summary>
    /// The direction of a turned head, from the person's point of view: their left is the image's right, where yaw is
    /// positive (the nose points to the image's right; the page's mirrored preview shows it turning to the screen's left).
    /// </summary>
    private HeadMovement? Turned(FacePose pose) =>
        pose.Yaw >= _options.TurnMinYawDegrees ? HeadMovement.TurnLeft
        : pose.Yaw <= -_options.TurnMinYawDegrees ? HeadMovement.TurnRight
        : null;

    private static float Median(List<float> values)
    {
        values.Sort();
        return values.Count == 0 ? 0f
            : values.Count % 2 == 1 ? values[values.Count / 2]
            : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2f;
    }

    private static LivenessVerdict Refused(LivenessRefusal refusal, LivenessEvidence evidence) =>
        new(refusal, -1, evidence.FailedChecks.Count == 0 ? evidence with { FailedChecks = [refusal] } : evidence);

    private sealed record FrameSeen(int Index, int AtMs, LivenessFrameLook Look, FacePose? Pose);

    private sealed record Turn(HeadMovement Direction, int StartedAtMs, FrameSeen Peak, FrameSeen Mildest);
}
