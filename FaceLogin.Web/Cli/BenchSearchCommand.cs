using System.Globalization;
using System.Text.Json;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>bench-search --out DIR</c>: 1:N search latency and memory per face of the local index over synthetic collections,
/// written to <c>DIR/search-bench.json</c>. The same measurement feeds the search part of <c>bench</c>.
/// </summary>
public sealed class BenchSearchCommand(IServiceProvider services) : ICliCommand
{
    public const string ResultFileName = "search-bench.json";

    public const string LoadResultFileName = "load-bench.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Name => "bench-search";

    public string Summary =>
        "1:N search time and memory per face on synthetic collections: --out DIR [--dim N (default: the analyzer's)] " +
        "[--sizes 10000,100000,1000000] [--queries 200] [--k 10] [--min-cosine -1] [--naive-checks 5] " +
        "[--load 100000,1000000: also time loading a SQLite collection of that many faces into the index, as start-up does]";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var outDirectory = arguments.Require("out");
        var settings = new SearchBenchmarkSettings(
            Dimension: arguments.Get("dim") is null ? AnalyzerDimension() : arguments.GetInt("dim", 0),
            CollectionSizes: ParseSizes(arguments.Get("sizes") ?? "10000,100000,1000000", "sizes"),
            Queries: arguments.GetInt("queries", 200),
            MaxResults: arguments.GetInt("k", 10),
            MinCosine: ParseFloat(arguments.Get("min-cosine") ?? "-1", "min-cosine"),
            NaiveChecks: arguments.GetInt("naive-checks", 5));

        await Console.Error.WriteLineAsync(
            $"bench-search: dimension {settings.Dimension}, sizes {string.Join(", ", settings.CollectionSizes)}, {settings.Queries} queries, k = {settings.MaxResults}");
        var loadBefore = EvaluateCommand.LoadAverage();
        var report = new SearchBenchmark().Run(settings, new ConsoleProgress(), cancellationToken);
        var loadAfter = EvaluateCommand.LoadAverage();

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, ResultFileName);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json), cancellationToken);

        Console.WriteLine($"kernel {report.Kernel}, {report.ProcessorCount} cores, {report.Runtime}, load average before {loadBefore}, after {loadAfter}");
        Console.WriteLine("faces       p50 ms   p95 ms  mean ms  bytes/face  build s  top-1  naive ok  max ‖x−x̂‖  max Δcos");
        foreach (var c in report.Collections)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Faces,9:N0} {c.SearchMsP50,8:F2} {c.SearchMsP95,8:F2} {c.SearchMsMean,8:F2} {c.MemoryBytesPerFace,11:F0} {c.BuildSeconds,8:F1} {c.PerturbedTop1Rate,6:P0} {c.NaiveChecksPassed,4}/{c.NaiveChecks} {c.MaxStoredDirectionError,10:F4} {c.MaxCosineShift,9:F5}"));
        }

        Console.WriteLine($"wrote {path}");

        if (arguments.Get("load") is { } loadSizes)
        {
            var loads = new List<CollectionLoadResult>();
            foreach (var size in ParseSizes(loadSizes, "load"))
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{size,9:N0} faces: writing and loading a SQLite collection"));
                loads.Add(await new CollectionLoadBenchmark().RunAsync(settings.Dimension, size, outDirectory, settings.Seed, cancellationToken));
            }

            var loadPath = Path.Combine(outDirectory, LoadResultFileName);
            await File.WriteAllTextAsync(loadPath, JsonSerializer.Serialize(loads, Json), cancellationToken);
            Console.WriteLine("faces      load s  bulk write s  file MB");
            foreach (var load in loads)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{load.Faces,9:N0} {load.LoadSeconds,7:F2} {load.WriteSeconds,13:F2} {load.FileBytes / 1e6,8:F0}"));
            }

            Console.WriteLine($"wrote {loadPath}");
        }

        return report.Collections.All(c => c.NaiveChecksPassed == c.NaiveChecks) ? 0 : 1;
    }

    private int AnalyzerDimension()
    {
        try
        {
            return services.GetService<IFaceAnalyzer>()?.EmbeddingLength
                ?? throw new CliUsageException("no face analyzer is configured: pass --dim.");
        }
        catch (Exception ex) when (ex is not CliUsageException)
        {
            throw new CliUsageException($"the face analyzer could not start ({ex.Message}): pass --dim.");
        }
    }

    private static int[] ParseSizes(string text, string name) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0
                ? size
                : throw new CliUsageException($"--{name} takes positive whole numbers separated by commas, not '{part}'."))
            .ToArray();

    private static float ParseFloat(string text, string name) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"--{name} must be a number, not '{text}'.");

    /// <summary>Writes progress synchronously (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class ConsoleProgress : IProgress<SearchBenchmarkProgress>
    {
        public void Report(SearchBenchmarkProgress value) =>
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{value.CollectionSize,9:N0} faces: {value.Stage,-12} {value.Fraction,4:P0}{(value.Fraction >= 1 ? "\n" : "")}"));
    }
}
