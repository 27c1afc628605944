using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// What <c>evaluate-pad</c> writes to pad.json. The property names (camelCase in JSON) are a contract: scripts outside the
/// repository read them, so add fields, never rename them. Rates are 0..1 and null where there is nothing to divide by.
/// ISO/IEC 30107-3 terms: APCER per attack species (attacks accepted ÷ attacks of that species), BPCER (bona fide refused ÷
/// bona fide), ACER = (APCER + BPCER) ÷ 2 per species and, for the mode, with the worst species' APCER.
/// </summary>
/// <param name="Presentations">Manifest rows judged.</param>
/// <param name="Bursts">Bursts judged: a presentation without a challenge is judged once against every challenge the server can issue.</param>
/// <param name="Results">One per burst (or per bona fide still), in manifest order.</param>
public sealed record PadReport(
    string Dataset,
    string Manifest,
    int Presentations,
    int Bursts,
    PadThresholds Thresholds,
    IReadOnlyList<PadModeReport> Modes,
    PadTimingReport Timing,
    string PassiveDetChart,
    MachineReport Machine,
    IReadOnlyList<PadPresentationResult> Results);

/// <summary>The judge's thresholds and the burst's shape, from <see cref="LivenessOptions"/> as configured for the run.</summary>
public sealed record PadThresholds(
    float FrontalMaxYawDegrees,
    float TurnMinYawDegrees,
    double MinPlanarResidual,
    float MinSamePersonSimilarity,
    float MinPassiveScore,
    int PassiveFrames,
    int LookMs,
    int StepMs,
    int FrameIntervalMs,
    int FrameMaxSide,
    int MinFrames,
    int MaxFrames)
{
    /// <summary>The foreshortening check's threshold (added after the first reports: JSON fields are only ever added).</summary>
    public double MinTurnAgreement { get; init; }

    public static PadThresholds From(LivenessOptions o) => new(
        o.FrontalMaxYawDegrees, o.TurnMinYawDegrees, o.MinPlanarResidual, o.MinSamePersonSimilarity, o.MinPassiveScore, o.PassiveFrames,
        o.Burst.LookMs, o.Burst.StepMs, o.Burst.FrameIntervalMs, o.Burst.FrameMaxSide, o.Burst.MinFrames, o.Burst.MaxFrames)
    {
        MinTurnAgreement = o.MinTurnAgreement,
    };
}

/// <summary>One door mode's error rates: <c>both</c>, <c>active</c> (bursts) or <c>passive</c> (one photo).</summary>
/// <param name="BonaFide">Null when the manifest has no bona fide presentation this mode judges.</param>
/// <param name="MaxApcer">The worst species' APCER.</param>
/// <param name="Acer">(MaxApcer + BPCER) ÷ 2.</param>
public sealed record PadModeReport(string Mode, PadBonaFideReport? BonaFide, IReadOnlyList<PadSpeciesReport> Species, double? MaxApcer, double? Acer);

/// <param name="RefusedBy">Per check, how many presentations it refused (every check is run, so one presentation can count under several).</param>
/// <param name="RefusedOnlyBy">Per check, how many presentations it alone refused: what the decision would lose without it.</param>
public sealed record PadBonaFideReport(
    int Presentations,
    int Refused,
    double? Bpcer,
    IReadOnlyDictionary<string, int> RefusedBy,
    IReadOnlyDictionary<string, int> RefusedOnlyBy);

/// <param name="Apcer">Accepted ÷ presentations.</param>
/// <param name="Acer">(APCER + the mode's BPCER) ÷ 2; null without bona fide presentations.</param>
public sealed record PadSpeciesReport(
    string Species,
    int Presentations,
    int Accepted,
    double? Apcer,
    double? Acer,
    IReadOnlyDictionary<string, int> RefusedBy,
    IReadOnlyDictionary<string, int> RefusedOnlyBy);

/// <summary>Server time of <see cref="LivenessJudge.JudgeBurst"/> (every check run, passive score included) per burst.</summary>
/// <param name="LookParallelism">Frames of one burst looked at at once (<see cref="LivenessOptions.LookParallelism"/>).</param>
public sealed record PadTimingReport(
    int Bursts,
    double JudgeBurstMsMedian,
    double JudgeBurstMsP95,
    double JudgeBurstMsMax,
    double? BonaFideJudgeBurstMsMedian,
    double? BonaFideJudgeBurstMsP95,
    double JudgeStillMsMedian,
    int IntraOpThreads,
    int LookParallelism,
    string Note);

/// <summary>One burst (or bona fide still) as judged.</summary>
/// <param name="Kind"><c>clip</c>, <c>frames</c> (a folder) or <c>still</c>.</param>
/// <param name="Challenge">The steps judged, each with when it was shown in seconds after the burst began.</param>
/// <param name="StartSeconds">Where on the presentation's timeline the burst began.</param>
/// <param name="Burst">The burst judged in mode Both with every check; null for a bona fide still (a still cannot answer a challenge).</param>
/// <param name="Photo">The look phase's last capture (or the still) judged as a passive door judges one photo.</param>
public sealed record PadPresentationResult(
    string Path,
    string Label,
    string Kind,
    string Challenge,
    double StartSeconds,
    int Frames,
    PadBurstJudgement? Burst,
    PadPhotoJudgement Photo,
    double? JudgeBurstMs);

/// <param name="LiveBoth">Accepted in mode Both: no check refused.</param>
/// <param name="LiveActive">Accepted in mode Active: no check but the passive one refused (the same run, the passive vote left out).</param>
/// <param name="FailedChecks">Every check that refused (<see cref="LivenessRefusal"/> names; <c>UnusableFrame</c> when a frame could not be read).</param>
/// <param name="PassiveScore">The judge's median passive score of the look phase's frontal frames; null when it did not get that far.</param>
public sealed record PadBurstJudgement(
    bool LiveBoth,
    bool LiveActive,
    IReadOnlyList<string> FailedChecks,
    IReadOnlyList<string> TurnsSeen,
    IReadOnlyList<float> PeakYaws,
    double? MinPlanarResidual,
    float? MinSamePersonSimilarity,
    float? PassiveScore)
{
    /// <summary>The lowest agreement of a turn's yaw with its foreshortening; null when no turn was foreshortened enough to read.</summary>
    public double? MinTurnAgreement { get; init; }
}

/// <param name="PassiveScore">The photo's passive score; null without a face.</param>
public sealed record PadPhotoJudgement(bool Live, string? Refusal, float? PassiveScore);
