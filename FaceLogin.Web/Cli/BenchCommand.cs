using System.Globalization;
using System.Text.Json;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Domain.Local.Index;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>bench --out DIR [--dataset DIR] [--images N] [--repeats N] [--sizes 10000,100000,1000000] [--skip-search]</c>:
/// per-stage and end-to-end pipeline timings on real photos, each model's inference alone, and 1:N search over
/// synthetic collections (the local index's <see cref="SearchBenchmark"/>), written to DIR/bench.json.
/// </summary>
public sealed class BenchCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "bench";

    public string Summary => "--out DIR [--dataset DIR] [--images 300] [--repeats 300] [--sizes 10000,100000,1000000] [--skip-search]: timings of the local engine and index";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var outDirectory = Path.GetFullPath(arguments.Require("out"));
        var datasetDirectory = Path.GetFullPath(arguments.Get("dataset")
            ?? (Environment.GetEnvironmentVariable("FACELOGIN_DATASET") is { Length: > 0 } fromEnv ? fromEnv : Path.Combine("..", "shared", "datasets", "lfw-dev")));
        var imageCount = arguments.GetInt("images", 300);
        if (imageCount < 200)
        {
            throw new CliUsageException("--images must be at least 200 so that the p95 rests on ten or more samples.");
        }

        var dataset = FaceDataset.Open(datasetDirectory);
        var options = services.GetService<IOptions<LocalEngineOptions>>()?.Value ?? new LocalEngineOptions();
        var catalogue = services.GetService<ModelCatalogue>() ?? ModelCatalogue.Default;
        var engine = services.GetService<LocalFaceEngine>();
        using var ownEngine = engine is null ? new LocalFaceEngine(catalogue, options) : null;
        engine ??= ownEngine!;
        var loadBefore = EvaluateCommand.LoadAverage();

        Console.Error.WriteLine($"bench: {Math.Min(imageCount, dataset.Images.Count)} images from {datasetDirectory}, {engine.ModelVersion}, {options.IntraOpThreads} intra-op thread(s)");
        var pipeline = new PipelineBenchmark(engine, catalogue, new OnnxRuntimeOptions { IntraOpThreads = options.IntraOpThreads, AllowSpinning = options.AllowSpinning }).Run(dataset, imageCount, arguments.GetInt("repeats", 300), options.IntraOpThreads,
            new ConsoleProgress("pipeline"), cancellationToken);

        SearchBenchmarkReport? search = null;
        if (!arguments.HasFlag("skip-search"))
        {
            var sizes = (arguments.Get("sizes") ?? "10000,100000,1000000")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new CliUsageException($"--sizes: '{s}' is not a positive whole number."))
                .ToArray();
            Console.Error.WriteLine($"bench: 1:N search over {string.Join(", ", sizes)} synthetic faces");
            search = new SearchBenchmark().Run(new SearchBenchmarkSettings(engine.Analyzer.EmbeddingLength, sizes), new SearchProgress(), cancellationToken);
        }

        var report = new
        {
            pipeline.Model,
            pipeline.Dataset,
            pipeline.Images,
            pipeline.ImagesWithoutFace,
            pipeline.IntraOpThreads,
            pipeline.Stages,
            pipeline.EndToEnd,
            pipeline.InferenceInPipeline,
            pipeline.PipelineOverInference,
            pipeline.Models,
            Search = search,
            Load = new { Before = loadBefore, After = EvaluateCommand.LoadAverage(), Cores = Environment.ProcessorCount },
            Machine = DatasetEvaluator.Machine(),
        };
        Directory.CreateDirectory(outDirectory);
        File.WriteAllText(Path.Combine(outDirectory, "bench.json"), JsonSerializer.Serialize(report, EvaluateCommand.Json));

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"end to end: median {pipeline.EndToEnd.Median:0.0} ms, p95 {pipeline.EndToEnd.P95:0.0} ms; inference in it: median {pipeline.InferenceInPipeline.Median:0.0} ms; ratio {pipeline.PipelineOverInference:0.00}"));
        foreach (var (stage, p) in pipeline.Stages)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-10} median {p.Median,6:0.00} ms  p95 {p.P95,6:0.00} ms"));
        }

        foreach (var (model, p) in pipeline.Models)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  model {model,-20} median {p.Median,6:0.00} ms  p95 {p.P95,6:0.00} ms"));
        }

        foreach (var c in search?.Collections ?? [])
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  search {c.Faces,9:N0} faces: p50 {c.SearchMsP50:0.00} ms, p95 {c.SearchMsP95:0.00} ms, {c.MemoryBytesPerFace:0} bytes/face"));
        }

        return Task.FromResult(0);
    }

    /// <summary>One line per tenth of each stage, so a 1 M build shows it is alive without flooding the terminal.</summary>
    private sealed class SearchProgress : IProgress<SearchBenchmarkProgress>
    {
        private (int Size, string Stage, int Tenth) _last = (0, string.Empty, -1);

        public void Report(SearchBenchmarkProgress value)
        {
            var tenth = (int)(value.Fraction * 10);
            if (_last.Size == value.CollectionSize && _last.Stage == value.Stage && _last.Tenth == tenth)
            {
                return;
            }

            _last = (value.CollectionSize, value.Stage, tenth);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search {value.CollectionSize:N0} faces: {value.Stage} {value.Fraction:P0}"));
        }
    }
}
