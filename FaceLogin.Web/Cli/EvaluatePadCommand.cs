using System.Globalization;
using System.Text.Json;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;
using FaceLogin.Domain.Local.Engine.Evaluation.Pad;
using FaceLogin.Domain.Local.Engine.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>evaluate-pad --dataset DIR --out DIR [--manifest FILE]</c>: judges the presentations of DIR/manifest.tsv (or FILE, its
/// paths relative to DIR) with the liveness judge as configured, and writes pad.json (APCER per species, BPCER, ACER, each
/// check's part, timings) and pad-det.svg (the passive score's DET-style curve). docs/liveness.md, "Measured: evaluate-pad".
/// </summary>
public sealed class EvaluatePadCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "evaluate-pad";

    public string Summary => "--dataset DIR --out DIR [--manifest FILE]: presentation-attack error rates of the liveness judge (pad.json)";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var dataset = Path.GetFullPath(arguments.Require("dataset"));
        var output = Path.GetFullPath(arguments.Require("out"));
        var manifest = Path.GetFullPath(arguments.Get("manifest") ?? Path.Combine(dataset, PadManifest.FileName));
        if (!Directory.Exists(dataset))
        {
            throw new CliUsageException($"The dataset folder {dataset} does not exist.");
        }

        if (!File.Exists(manifest))
        {
            throw new CliUsageException($"No manifest at {manifest}: give --manifest FILE or put {PadManifest.FileName} in the dataset folder.");
        }

        IReadOnlyList<PadManifestRow> rows;
        try
        {
            rows = PadManifest.Read(manifest);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        if (rows.Count == 0)
        {
            throw new CliUsageException($"{manifest} lists no presentation.");
        }

        var hostJudge = services.GetService<LivenessJudge>();
        using var ownJudge = hostJudge is null ? new OwnJudge(services) : null;
        var judge = hostJudge ?? ownJudge!.Judge;
        var load = EvaluateCommand.LoadAverage();
        Console.Error.WriteLine($"evaluate-pad: {rows.Count} presentations from {manifest}");
        PadEvaluation.Run run;
        try
        {
            run = new PadEvaluation(judge).Judge(dataset, rows, new ConsoleProgress("presentations"), cancellationToken);
        }
        catch (PadInputException ex)
        {
            Console.Error.WriteLine($"evaluate-pad: {ex.Message}");
            return Task.FromResult(2);
        }

        Directory.CreateDirectory(output);
        var threads = services.GetService<IOptions<LocalEngineOptions>>()?.Value.IntraOpThreads ?? new LocalEngineOptions().IntraOpThreads;
        var report = new PadReport(
            dataset,
            manifest,
            rows.Count,
            run.Results.Count(r => r.Burst is not null),
            PadThresholds.From(judge.Options),
            PadMetrics.Modes(run.Results),
            PadTiming.Of(run, threads, judge.Options.LookParallelism, $"one burst at a time, every check run; load average before {load}, after {EvaluateCommand.LoadAverage()} on {Environment.ProcessorCount} cores"),
            "pad-det.svg",
            DatasetEvaluator.Machine(),
            run.Results);
        File.WriteAllText(Path.Combine(output, "pad.json"), JsonSerializer.Serialize(report, EvaluateCommand.Json));
        File.WriteAllText(Path.Combine(output, report.PassiveDetChart), PadDetChart.Render(
            $"Passive score (one photo) on {Path.GetFileName(Path.TrimEndingDirectorySeparator(dataset))}",
            [.. run.Results.Where(r => r.Label == PadManifest.BonaFide && r.Photo.PassiveScore is not null).Select(r => r.Photo.PassiveScore!.Value)],
            [.. run.Results.Where(r => r.Label != PadManifest.BonaFide).GroupBy(r => r.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new PadDetChart.Species(g.Key, [.. g.Select(r => r.Photo.PassiveScore ?? 0f)]))],
            judge.Options.MinPassiveScore));
        Console.Out.WriteLine(Summarise(report));
        return Task.FromResult(0);
    }

    private static string Summarise(PadReport report)
    {
        var lines = new List<string> { $"{report.Presentations} presentations, {report.Bursts} bursts" };
        foreach (var mode in report.Modes)
        {
            var parts = new List<string>();
            if (mode.BonaFide is { } b)
            {
                parts.Add(Invariant($"BPCER {b.Bpcer:0.000} ({b.Refused}/{b.Presentations})"));
            }

            parts.AddRange(mode.Species.Select(s => Invariant($"{s.Species} APCER {s.Apcer:0.000} ({s.Accepted}/{s.Presentations})")));
            lines.Add($"{mode.Mode}: {string.Join(", ", parts)}");
        }

        lines.Add(Invariant($"judge per burst: median {report.Timing.JudgeBurstMsMedian:0} ms, p95 {report.Timing.JudgeBurstMsP95:0} ms"));
        return string.Join('\n', lines);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A judge on the local engine when the host has none (a test's bare service provider), built as AddLocalLiveness builds it.</summary>
    private sealed class OwnJudge : IDisposable
    {
        private readonly LocalFaceEngine? _engine;
        private readonly PassiveLivenessScorer _scorer;

        public OwnJudge(IServiceProvider services)
        {
            var options = services.GetService<IOptions<LocalEngineOptions>>()?.Value ?? new LocalEngineOptions();
            var catalogue = services.GetService<ModelCatalogue>() ?? ModelCatalogue.Default;
            var engine = services.GetService<LocalFaceEngine>();
            _engine = engine is null ? new LocalFaceEngine(catalogue, options) : null;
            _scorer = new PassiveLivenessScorer(new PassiveLivenessOptions(catalogue.PathOf(FaceModel.MiniFasNet)),
                new OnnxRuntimeOptions { IntraOpThreads = options.IntraOpThreads, AllowSpinning = options.AllowSpinning });
            var analyzer = new LocalLivenessFrameAnalyzer(engine ?? _engine!, _scorer, (engine ?? _engine!).Scale);
            Judge = new LivenessJudge(analyzer, Options.Create(services.GetService<IOptions<LivenessOptions>>()?.Value ?? new LivenessOptions()));
        }

        public LivenessJudge Judge { get; }

        public void Dispose()
        {
            _scorer.Dispose();
            _engine?.Dispose();
        }
    }
}
