using FaceLogin.Tests.Support;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Web.Cli;
using System.Text.Json;

namespace FaceLogin.Tests.Local.Index;

/// <summary>The benchmark's plumbing on a tiny collection: it reports what it measured and checks itself against a naive scan. No timing is asserted.</summary>
[Collection(MeasuresProcessMemory.Name)]
public sealed class SearchBenchmarkTests : IDisposable
{
    private readonly TemporaryDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_small_run_reports_each_collection_and_passes_its_naive_checks()
    {
        var progress = new List<SearchBenchmarkProgress>();
        var report = new SearchBenchmark(new FaceVectorIndexOptions { ParallelScanMinimum = 1_000 }).Run(
            new SearchBenchmarkSettings(Dimension: 48, CollectionSizes: [500, 30_000], Queries: 40, MaxResults: 5, NaiveChecks: 6),
            new SynchronousProgress(progress.Add),
            TestContext.Current.CancellationToken);

        Assert.Equal([500, 30_000], report.Collections.Select(c => c.Faces));
        Assert.All(report.Collections, c =>
        {
            Assert.Equal(6, c.NaiveChecksPassed);
            Assert.InRange(c.SearchMsP50, 0, c.SearchMsP95);
            Assert.InRange(c.PerturbedTop1Rate, 0.9, 1);

            // Storing x̂ instead of x moves a cosine by at most ‖x − x̂/‖x̂‖‖ (half a step of 1/127 of the largest component
            // per dimension, ~0.01 here), and the measured shifts stay below it.
            Assert.InRange(c.MaxStoredDirectionError!.Value, 1e-4, 0.05);
            Assert.InRange(c.MaxCosineShift!.Value, 1e-7, c.MaxStoredDirectionError.Value);
        });

        // The budget: the codes (48 padded to 64 B), ‖c‖ (4 B), the id (16 B) and the id map's entry (~32 B); a float32 copy
        // would add 192 B. Read as the bytes the build allocated on its own thread (the index reserves its storage up front):
        // the whole process's heap growth, which the benchmark also reports, went negative in CI runs when other tests' hosts
        // released memory during the build, even on 30,000 faces (−45 B per face).
        Assert.InRange(report.Collections[^1].AllocatedBytesPerFace, Int8Quantization.PaddedLength(48), Int8Quantization.PaddedLength(48) + 80);
        Assert.Contains(progress, p => p is { CollectionSize: 30_000, Stage: "search", Fraction: 1 });
    }

    [Fact]
    public async Task The_bench_search_verb_writes_its_json()
    {
        var command = new BenchSearchCommand(new EmptyServices());
        var exitCode = await command.RunAsync(
            new CliArguments(["--out", _folder.Path, "--dim", "16", "--sizes", "300", "--queries", "10", "--naive-checks", "2", "--load", "250"]),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_folder.File(BenchSearchCommand.ResultFileName), TestContext.Current.CancellationToken));
        var collection = json.RootElement.GetProperty("collections")[0];
        Assert.Equal(300, collection.GetProperty("faces").GetInt32());
        Assert.True(collection.GetProperty("searchMsP50").GetDouble() >= 0);
        Assert.Equal(16, json.RootElement.GetProperty("dimension").GetInt32());

        using var load = JsonDocument.Parse(await File.ReadAllTextAsync(_folder.File(BenchSearchCommand.LoadResultFileName), TestContext.Current.CancellationToken));
        Assert.Equal(250, load.RootElement[0].GetProperty("faces").GetInt32());
        // The per-search check and the catch-ups after another writer's add and delete were measured (they verify their own effect).
        Assert.True(load.RootElement[0].GetProperty("unchangedCheckMicrosecondsP50").GetDouble() > 0);
        Assert.True(load.RootElement[0].GetProperty("addCatchUpMilliseconds").GetDouble() > 0);
        Assert.True(load.RootElement[0].GetProperty("deleteCatchUpMilliseconds").GetDouble() > 0);

        // The synthetic SQLite file is removed after it was measured.
        Assert.Empty(Directory.GetFiles(_folder.Path, "load-benchmark-*"));
    }

    [Fact]
    public async Task Without_an_analyzer_or_dim_the_verb_says_what_to_pass()
    {
        var command = new BenchSearchCommand(new EmptyServices());
        var error = await Assert.ThrowsAsync<CliUsageException>(() =>
            command.RunAsync(new CliArguments(["--out", _folder.Path]), TestContext.Current.CancellationToken));
        Assert.Contains("--dim", error.Message);
    }

    private sealed class SynchronousProgress(Action<SearchBenchmarkProgress> report) : IProgress<SearchBenchmarkProgress>
    {
        public void Report(SearchBenchmarkProgress value) => report(value);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
