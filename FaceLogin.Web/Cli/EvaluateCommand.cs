using System.Text.Json;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;
using FaceLogin.Domain.Local.Engine.Models;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>evaluate --dataset DIR [--pairs FILE] [--identification FILE] --out DIR [--all-pairs] [--face labelled|largest] [--threshold COSINE]</c>:
/// runs the local engine over a dataset and writes evaluation.json and det.svg (an ROC curve with a log FAR axis).
/// </summary>
public sealed class EvaluateCommand(IServiceProvider services) : ICliCommand
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Name => "evaluate";

    public string Summary => "--dataset DIR --out DIR [--pairs FILE] [--identification FILE] [--all-pairs] [--face labelled|largest] [--threshold COSINE]: accuracy of the local engine";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var datasetDirectory = Path.GetFullPath(arguments.Require("dataset"));
        var outDirectory = Path.GetFullPath(arguments.Require("out"));
        var pairsFile = OptionalFile(arguments, "pairs", datasetDirectory, "pairs.tsv");
        var identificationFile = OptionalFile(arguments, "identification", datasetDirectory, "identification.tsv");
        var selection = arguments.Get("face") switch
        {
            null or "labelled" => FaceSelection.Labelled,
            "largest" => FaceSelection.Largest,
            var other => throw new CliUsageException($"--face must be 'labelled' or 'largest', not '{other}'."),
        };
        float? thresholdOverride = arguments.Get("threshold") is { } text
            ? float.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : throw new CliUsageException($"--threshold must be a cosine, not '{text}'.")
            : null;

        var dataset = FaceDataset.Open(datasetDirectory);
        if (dataset.Images.Count == 0)
        {
            throw new CliUsageException($"No images under {datasetDirectory}.");
        }

        Directory.CreateDirectory(outDirectory);
        var engine = services.GetService<LocalFaceEngine>();
        using var ownEngine = engine is null ? CreateEngine() : null;
        engine ??= ownEngine!;
        var options = services.GetService<IOptions<LocalEngineOptions>>()?.Value ?? new LocalEngineOptions();
        var load = LoadAverage();

        Console.Error.WriteLine($"evaluate: {dataset.Images.Count} images in {datasetDirectory} with {engine.ModelVersion} (face: {selection})");
        var faceRule = services.GetService<DominantFaceRule>() ?? DominantFaceRule.Default;
        var embedded = new DatasetEmbedder(engine.Analyzer, faceRule).EmbedAll(dataset, selection, new ConsoleProgress("embedding"), cancellationToken);
        Console.Error.WriteLine($"evaluate: {embedded.Failures.Count} detection failures");

        var scale = engine.Scale;
        VerificationReport? verification = null;
        ScoreDistribution? pairScores = null;
        if (File.Exists(pairsFile))
        {
            var pairs = FaceDataset.ReadPairs(pairsFile);
            (verification, pairScores) = DatasetEvaluator.Verify(pairs, embedded.Embeddings);
            // Per pair, for looking at the mistakes: img1, img2, same, cosine (−1 when a face is missing).
            File.WriteAllLines(Path.Combine(outDirectory, "pair-scores.tsv"), pairs.Select(p => string.Join('\t', p.First, p.Second, p.Same ? "1" : "0",
                DatasetEvaluator.PairScore(embedded.Embeddings, p.First, p.Second).ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture))));
        }

        AllPairsReport? allPairs = null;
        ScoreDistribution? allScores = null;
        if (arguments.HasFlag("all-pairs"))
        {
            Console.Error.WriteLine("evaluate: scoring all pairs");
            (allPairs, allScores) = DatasetEvaluator.AllPairs(dataset.Images, embedded.Embeddings, scale);
        }

        IdentificationReport? identification = null;
        if (File.Exists(identificationFile))
        {
            var (threshold, source) = thresholdOverride is { } given
                ? (given, "--threshold")
                : (scale.ToCosine(SimilarityScale.DefaultMatchThreshold), $"product default (score {SimilarityScale.DefaultMatchThreshold})");
            identification = DatasetEvaluator.Identify(FaceDataset.ReadIdentification(identificationFile), embedded.Embeddings, threshold, source, scale);
        }

        var report = new EvaluationReport(
            engine.ModelVersion,
            datasetDirectory,
            selection.ToString().ToLowerInvariant(),
            dataset.Images.Count,
            embedded.Failures.Count,
            embedded.Failures,
            embedded.ImagesWithSeveralFaces,
            verification,
            identification,
            DatasetEvaluator.Timing(embedded.MillisecondsPerImage, options.IntraOpThreads,
                $"decode → embedding per image, one at a time; load average before {load}, after {LoadAverage()} on {Environment.ProcessorCount} cores"),
            allPairs,
            DatasetEvaluator.Quality(embedded.EmbeddedFaces),
            DatasetEvaluator.Machine(),
            DatasetEvaluator.FaceRule(faceRule, embedded.SeveralFaces));
        // Per picture with several faces, for looking at what the rule decided: image, faces, second ÷ largest width, verdict.
        File.WriteAllLines(Path.Combine(outDirectory, "several-faces.tsv"), embedded.SeveralFaces.Select(p => string.Join('\t',
            p.Image, p.Faces, p.WidestOtherFaceRatio.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), p.Verdict)));
        File.WriteAllText(Path.Combine(outDirectory, "evaluation.json"), JsonSerializer.Serialize(report, Json));

        var curves = new List<RocChart.Curve>();
        if (pairScores is not null)
        {
            curves.Add(new RocChart.Curve($"{Path.GetFileName(pairsFile)} ({verification!.Pairs} pairs)", pairScores));
        }

        if (allScores is not null)
        {
            curves.Add(new RocChart.Curve("all pairs of the identity folders", allScores));
        }

        if (curves.Count > 0)
        {
            var svg = RocChart.Render($"{engine.ModelVersion} on {Path.GetFileName(datasetDirectory)}", curves,
                scale.ToCosine(SimilarityScale.DefaultMatchThreshold), System.FormattableString.Invariant($"default threshold, score {SimilarityScale.DefaultMatchThreshold} (cos {scale.ToCosine(SimilarityScale.DefaultMatchThreshold):0.000})"));
            File.WriteAllText(Path.Combine(outDirectory, "det.svg"), svg);
        }

        Console.Out.WriteLine(Summarise(report));
        return Task.FromResult(0);
    }

    /// <summary>
    /// A protocol file: the dataset's own when not named (and skipped when the dataset has none); a named file must exist,
    /// so a mistyped path fails at once instead of silently leaving its section out of evaluation.json.
    /// </summary>
    private static string OptionalFile(CliArguments arguments, string option, string datasetDirectory, string defaultName)
    {
        if (arguments.Get(option) is not { } named)
        {
            return Path.Combine(datasetDirectory, defaultName);
        }

        var path = Path.GetFullPath(named);
        return File.Exists(path) ? path : throw new CliUsageException($"--{option}: {path} does not exist.");
    }

    private LocalFaceEngine CreateEngine() => new(
        services.GetService<ModelCatalogue>() ?? ModelCatalogue.Default,
        services.GetService<IOptions<LocalEngineOptions>>()?.Value ?? new LocalEngineOptions());

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Summarise(EvaluationReport r)
    {
        var lines = new List<string> { $"images {r.Images}, detection failures {r.DetectionFailures}, several faces {r.ImagesWithSeveralFaces}" };
        if (r.FaceRule is { } rule)
        {
            lines.Add(System.FormattableString.Invariant(
                $"face rule (background below {rule.MaxBackgroundWidthRatio:0.00} of the largest width): refused as several people {rule.RefusedWithRule} of {rule.ImagesWithSeveralFaces} (any second face: {rule.RefusedBeforeRule})"));
        }

        if (r.Verification is { } v)
        {
            lines.Add(System.FormattableString.Invariant(
                $"verification: accuracy {v.Accuracy * 100:0.00} % ± {v.AccuracyStd * 100:0.00}, EER {v.Eer * 100:0.00} %, AUC {v.Auc:0.0000}, TAR@1e-2 {v.TarAtFar1e2:0.000}, TAR@1e-3 {v.TarAtFar1e3:0.000}, threshold {v.Threshold:0.000}"));
        }

        if (r.AllPairs is { } a)
        {
            lines.Add(System.FormattableString.Invariant(
                $"all pairs: {a.Genuine:N0} genuine, {a.Impostor:N0} impostor, TAR@1e-3 {a.TarAtFar1e3:0.000}, TAR@1e-4 {a.TarAtFar1e4:0.000} at cos {a.ThresholdAtFar1e4:0.000}, EER {a.Eer * 100:0.00} %, impostor mean {a.ImpostorMean:0.000} sd {a.ImpostorStd:0.000}"));
            var s = a.StoredAsInt8;
            lines.Add(System.FormattableString.Invariant(
                $"all pairs, gallery side stored as the local index stores it (int8): max |Δcos| {s.MaxCosineShift:0.00000} (rms {s.CosineShiftStd:0.00000}, max ‖x − x̂/‖x̂‖‖ {s.MaxStoredDirectionError:0.0000}); at cos {s.Threshold:0.0000}: FAR {s.Far:0.0e0} → {s.FarStoredAsInt8:0.0e0}, TAR {s.Tar:0.0000} → {s.TarStoredAsInt8:0.0000}, decisions changed: {s.GenuineDecisionsChanged} genuine, {s.ImpostorDecisionsChanged} impostor; TAR@1e-4 {s.TarAtFar1e4StoredAsInt8:0.000}"));
        }

        if (r.Identification is { } i)
        {
            lines.Add(System.FormattableString.Invariant(
                $"identification: rank-1 {i.Rank1:0.000}, FPIR {i.Fpir:0.000}, FNIR {i.Fnir:0.000} at cos {i.Threshold:0.000} ({i.ThresholdSource})"));
        }

        lines.Add($"quality: {r.Quality.FacesWithAnyIssue} faces flagged ({string.Join(", ", r.Quality.FacesFlagged.Where(f => f.Value > 0).Select(f => $"{f.Key} {f.Value}"))})");
        lines.Add(System.FormattableString.Invariant($"timing: median {r.Timing.MsPerImageMedian:0.0} ms, p95 {r.Timing.MsPerImageP95:0.0} ms per image"));
        return string.Join('\n', lines);
    }
}

/// <summary>Progress on stderr, about every 2 % and at the end, so long runs show they are alive without flooding a log.</summary>
/// <remarks>Thread-safe: parallel producers report through it.</remarks>
internal sealed class ConsoleProgress(string what) : IProgress<(int Done, int Total)>
{
    private readonly Lock _lock = new();
    private int _lastPercent = -1;

    public void Report((int Done, int Total) value)
    {
        lock (_lock)
        {
            var percent = value.Done * 100 / Math.Max(1, value.Total);
            if (value.Done == value.Total || percent >= _lastPercent + 2)
            {
                _lastPercent = percent;
                Console.Error.WriteLine($"{what}: {value.Done}/{value.Total} ({percent} %)");
            }
        }
    }
}
