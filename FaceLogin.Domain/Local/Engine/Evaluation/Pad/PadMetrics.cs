using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>One presentation's decision in one mode, as the error rates count it.</summary>
/// <param name="FailedChecks">Every check that refused it; empty when accepted.</param>
public sealed record PadOutcome(string Label, bool Live, IReadOnlyList<string> FailedChecks);

/// <summary>APCER, BPCER and ACER (ISO/IEC 30107-3) and each check's part, from decisions already made: pure arithmetic.</summary>
public static class PadMetrics
{
    public const string Both = "both";
    public const string Active = "active";
    public const string Passive = "passive";

    /// <summary>The three modes' reports from the judged results.</summary>
    public static IReadOnlyList<PadModeReport> Modes(IReadOnlyList<PadPresentationResult> results) =>
    [
        Summarise(Both, results.Where(r => r.Burst is not null).Select(r => new PadOutcome(r.Label, r.Burst!.LiveBoth, r.Burst.FailedChecks))),
        Summarise(Active, results.Where(r => r.Burst is not null).Select(r => new PadOutcome(r.Label, r.Burst!.LiveActive, WithoutPassive(r.Burst.FailedChecks)))),
        Summarise(Passive, results.Select(r => new PadOutcome(r.Label, r.Photo.Live, r.Photo.Refusal is { } refusal ? [refusal] : []))),
    ];

    public static PadModeReport Summarise(string mode, IEnumerable<PadOutcome> outcomes)
    {
        var all = outcomes.ToList();
        var bonaFide = all.Where(o => string.Equals(o.Label, PadManifest.BonaFide, StringComparison.Ordinal)).ToList();
        PadBonaFideReport? bonaFideReport = null;
        if (bonaFide.Count > 0)
        {
            var refused = bonaFide.Count(o => !o.Live);
            bonaFideReport = new PadBonaFideReport(bonaFide.Count, refused, Rate(refused, bonaFide.Count), RefusedBy(bonaFide), RefusedOnlyBy(bonaFide));
        }

        var bpcer = bonaFideReport?.Bpcer;
        var species = all.Where(o => !string.Equals(o.Label, PadManifest.BonaFide, StringComparison.Ordinal))
            .GroupBy(o => o.Label, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var attacks = g.ToList();
                var accepted = attacks.Count(o => o.Live);
                var apcer = Rate(accepted, attacks.Count);
                return new PadSpeciesReport(g.Key, attacks.Count, accepted, apcer, Acer(apcer, bpcer), RefusedBy(attacks), RefusedOnlyBy(attacks));
            })
            .ToList();
        double? maxApcer = species.Count == 0 ? null : species.Max(s => s.Apcer);
        return new PadModeReport(mode, bonaFideReport, species, maxApcer, Acer(maxApcer, bpcer));
    }

    /// <summary>Mode Active is mode Both without the passive vote: the same checks, each run whatever the others said.</summary>
    public static IReadOnlyList<string> WithoutPassive(IReadOnlyList<string> failedChecks) =>
        [.. failedChecks.Where(c => !string.Equals(c, nameof(LivenessRefusal.PassiveAttack), StringComparison.Ordinal))];

    private static double? Rate(int count, int total) => total == 0 ? null : (double)count / total;

    private static double? Acer(double? apcer, double? bpcer) => apcer is { } a && bpcer is { } b ? (a + b) / 2 : null;

    private static SortedDictionary<string, int> RefusedBy(List<PadOutcome> outcomes) => Count(outcomes.Where(o => !o.Live).SelectMany(o => o.FailedChecks.Distinct()));

    private static SortedDictionary<string, int> RefusedOnlyBy(List<PadOutcome> outcomes) =>
        Count(outcomes.Where(o => !o.Live && o.FailedChecks.Distinct().Count() == 1).Select(o => o.FailedChecks[0]));

    private static SortedDictionary<string, int> Count(IEnumerable<string> checks)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            counts[check] = counts.GetValueOrDefault(check) + 1;
        }

        return counts;
    }
}
