using System.Text.Json;
using System.Xml.Linq;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Tests.Local.Engine;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Web.Cli;

/// <summary>
/// evaluate-pad end to end on real frames: a tiny manifest over pad-dev (an edited bona fide burst of the phone selfie clip,
/// cut by ffmpeg; the print still; the real still), judged by the real engine. pad.json's field names are a contract.
/// </summary>
[Collection(LocalFaceEngineCollection.Name)]
public sealed class EvaluatePadCommandTests(LocalFaceEngineFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_tiny_manifest_gives_bpcer_apcer_per_species_each_checks_part_the_thresholds_timings_and_a_det_chart()
    {
        PadDevDataset.Read("tvl/real.mp4");
        var manifest = _folder.Combine("tiny.tsv");
        await File.WriteAllLinesAsync(manifest,
        [
            "path\tlabel\tchallenge\tstart\tsegments",
            "tvl/real.mp4\tbona_fide\tTurnLeft,TurnRight\t\t0.4-1.2,1.6-2.8,7.0-8.2",
            "sfas/image_F1.jpg\tprint\tTurnRight,TurnLeft\t\t",
            "sfas/image_T1.jpg\tbona_fide\t\t\t",
        ], TestContext.Current.CancellationToken);
        var output = _folder.Combine("out");

        var exit = await new EvaluatePadCommand(Services()).RunAsync(
            new CliArguments(["--dataset", PadDevDataset.Path, "--manifest", manifest, "--out", output]), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "pad.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("presentations").GetInt32());
        Assert.Equal(2, root.GetProperty("bursts").GetInt32());
        Assert.Equal(0.04, root.GetProperty("thresholds").GetProperty("minPlanarResidual").GetDouble(), 6);
        Assert.Equal(230, root.GetProperty("thresholds").GetProperty("frameIntervalMs").GetInt32());
        var modes = root.GetProperty("modes").EnumerateArray().ToDictionary(m => m.GetProperty("mode").GetString()!);
        Assert.Equal(["both", "active", "passive"], modes.Keys);

        var both = modes["both"];
        Assert.Equal(1, both.GetProperty("bonaFide").GetProperty("presentations").GetInt32());
        Assert.Equal(0.0, both.GetProperty("bonaFide").GetProperty("bpcer").GetDouble()); // the edited real burst is accepted
        var print = Assert.Single(both.GetProperty("species").EnumerateArray());
        Assert.Equal("print", print.GetProperty("species").GetString());
        Assert.Equal(0.0, print.GetProperty("apcer").GetDouble());
        Assert.Equal(0.0, print.GetProperty("acer").GetDouble());
        Assert.True(print.GetProperty("refusedBy").GetProperty("MovementNotFollowed").GetInt32() == 1); // a held print does not turn
        Assert.Equal(JsonValueKind.Object, print.GetProperty("refusedOnlyBy").ValueKind);

        var passive = modes["passive"];
        Assert.Equal(2, passive.GetProperty("bonaFide").GetProperty("presentations").GetInt32()); // the burst's photo and the real still
        Assert.Equal(0.0, passive.GetProperty("species")[0].GetProperty("apcer").GetDouble()); // the print's photo scores as an attack
        Assert.True(root.GetProperty("timing").GetProperty("judgeBurstMsMedian").GetDouble() > 0);
        Assert.True(root.GetProperty("timing").GetProperty("bonaFideJudgeBurstMsMedian").GetDouble() > 0);
        Assert.Equal(2, root.GetProperty("timing").GetProperty("lookParallelism").GetInt32());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal("TurnLeft@0.8,TurnRight@2", results[0].GetProperty("challenge").GetString());
        Assert.Equal(["TurnLeft", "TurnRight"], results[0].GetProperty("burst").GetProperty("turnsSeen").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, results[2].GetProperty("burst").ValueKind);

        var svg = XDocument.Load(Path.Combine(output, root.GetProperty("passiveDetChart").GetString()!));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Single(svg.Descendants(ns + "polyline"));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.StartsWith("APCER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dataset_without_a_manifest_is_refused_before_any_work()
    {
        var dataset = Directory.CreateDirectory(_folder.Combine("empty")).FullName;

        var error = await Assert.ThrowsAsync<CliUsageException>(() => new EvaluatePadCommand(Services()).RunAsync(
            new CliArguments(["--dataset", dataset, "--out", _folder.Combine("out")]), TestContext.Current.CancellationToken));

        Assert.Contains("manifest.tsv", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("out")));
    }

    [Fact]
    public async Task A_path_missing_from_the_dataset_fails_with_its_name_and_writes_nothing()
    {
        var dataset = Directory.CreateDirectory(_folder.Combine("set")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(dataset, "manifest.tsv"), ["path\tlabel", "nowhere.mp4\tbona_fide"], TestContext.Current.CancellationToken);

        var exit = await new EvaluatePadCommand(Services()).RunAsync(
            new CliArguments(["--dataset", dataset, "--out", _folder.Combine("out")]), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.False(File.Exists(_folder.Combine("out", "pad.json")));
    }

    [Fact]
    public async Task Without_ffmpeg_a_clip_is_refused_with_what_to_install()
    {
        PadDevDataset.Read("tvl/real.mp4");
        var manifest = _folder.Combine("clip.tsv");
        await File.WriteAllLinesAsync(manifest, ["path\tlabel\tchallenge", "tvl/real.mp4\tbona_fide\tTurnLeft,TurnRight"], TestContext.Current.CancellationToken);
        var emptyPath = Directory.CreateDirectory(_folder.Combine("no-tools")).FullName;

        var (exitCode, _, errors) = await WebCommand.RunAsync(
            [new("PATH", emptyPath), new("FaceLogin:DataPath", _folder.Combine("data"))],
            ["evaluate-pad", "--dataset", PadDevDataset.Path, "--manifest", manifest, "--out", _folder.Combine("out")],
            TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("ffmpeg is not on PATH", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("out", "pad.json")));
    }

    private IServiceProvider Services() => new ServiceCollection().AddSingleton<LocalFaceEngine>(fixture.Engine).BuildServiceProvider();
}
