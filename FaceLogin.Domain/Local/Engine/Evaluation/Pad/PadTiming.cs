namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

public static class PadTiming
{
    /// <summary>Median, p95 and max of the bursts' judge times (nearest rank), and of the bona fide bursts' alone.</summary>
    public static PadTimingReport Of(PadEvaluation.Run run, int intraOpThreads, int lookParallelism, string note)
    {
        var all = run.Results.Where(r => r.JudgeBurstMs is not null).Select(r => r.JudgeBurstMs!.Value).Order().ToList();
        var bonaFide = run.Results.Where(r => r.JudgeBurstMs is not null && r.Label == PadManifest.BonaFide).Select(r => r.JudgeBurstMs!.Value).Order().ToList();
        var still = run.JudgeStillMs.Order().ToList();
        return new PadTimingReport(
            all.Count,
            At(all, 0.5) ?? 0,
            At(all, 0.95) ?? 0,
            all.Count == 0 ? 0 : all[^1],
            At(bonaFide, 0.5),
            At(bonaFide, 0.95),
            At(still, 0.5) ?? 0,
            intraOpThreads,
            lookParallelism,
            note);
    }

    private static double? At(List<double> ascending, double fraction) =>
        ascending.Count == 0 ? null : Math.Round(DatasetEvaluator.Percentile(ascending, fraction), 1);
}
