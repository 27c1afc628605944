using System.Text.Json;
using System.Xml.Linq;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Tests.Local.Engine;
using FaceLogin.Tests.Local.Index;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Web.Cli;

/// <summary>
/// The field names of evaluation.json and bench.json are a contract: scripts outside the repository read them (issue 2).
/// Each command runs for real, on a small copy of lfw-dev in a temporary folder or on a few hundred of its photos,
/// and the files it writes must hold every field the issue names.
/// </summary>
[Collection(LocalFaceEngineCollection.Name)]
public sealed class EngineCommandContractTests(LocalFaceEngineFixture fixture) : IDisposable
{
    private readonly TemporaryDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Evaluate_writes_every_field_the_issue_names_and_a_readable_curve()
    {
        var dataset = SmallDataset(identities: 10, imagesEach: 3);
        var output = _folder.File("evaluation");

        var exit = await new EvaluateCommand(Services()).RunAsync(new CliArguments(
            ["--dataset", dataset, "--pairs", Path.Combine(dataset, "pairs.tsv"), "--identification", Path.Combine(dataset, "identification.tsv"), "--out", output, "--all-pairs"]),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "evaluation.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.String, Field(root, "model").ValueKind);
        Assert.Equal(30, Field(root, "images").GetInt32());
        Assert.Equal(JsonValueKind.Number, Field(root, "detectionFailures").ValueKind);
        AssertNumbers(root, "verification", "accuracy", "accuracyStd", "eer", "auc", "tarAtFar1e2", "tarAtFar1e3", "threshold");
        AssertNumbers(root, "identification", "rank1", "fpir", "fnir", "threshold");
        AssertNumbers(root, "timing", "msPerImageMedian", "msPerImageP95");
        AssertNumbers(root, "allPairs", "genuine", "impostor", "tarAtFar1e3", "tarAtFar1e4", "thresholdAtFar1e4");
        Assert.Equal(30, Field(root, "allPairs", "genuine").GetInt64()); // 10 identities × 3 pairs of 3 photos
        AssertNumbers(root, "allPairs.storedAsInt8", "maxStoredDirectionError", "maxCosineShift", "far", "farStoredAsInt8", "tar", "tarStoredAsInt8",
            "genuineDecisionsChanged", "impostorDecisionsChanged");
        Assert.InRange(Field(root, "allPairs", "storedAsInt8", "maxCosineShift").GetDouble(), 0, Field(root, "allPairs", "storedAsInt8", "maxStoredDirectionError").GetDouble());

        var svg = XDocument.Load(Path.Combine(output, "det.svg"));
        var texts = svg.Descendants(XNamespace.Get("http://www.w3.org/2000/svg") + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("False accept rate", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("True accept rate", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("default threshold", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pairs")]
    [InlineData("identification")]
    public async Task Evaluate_refuses_a_named_protocol_file_that_does_not_exist_before_any_work(string option)
    {
        var missing = _folder.File("no-such.tsv");

        var error = await Assert.ThrowsAsync<CliUsageException>(() => new EvaluateCommand(Services()).RunAsync(new CliArguments(
            ["--dataset", TestEnvironment.RequireDataset(), $"--{option}", missing, "--out", _folder.File("out")]),
            TestContext.Current.CancellationToken));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public async Task Bench_writes_stage_model_and_search_timings_under_the_names_the_issue_gives()
    {
        var output = _folder.File("bench");

        var exit = await new BenchCommand(Services()).RunAsync(new CliArguments(
            ["--out", output, "--dataset", TestEnvironment.RequireDataset(), "--images", "200", "--repeats", "5", "--sizes", "1000,2000"]),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "bench.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        foreach (var stage in new[] { "decode", "detect", "landmarks", "align", "embed" })
        {
            AssertNumbers(root, $"stages.{stage}", "median", "p95");
            Assert.True(Field(root, "stages", stage, "samples").GetInt32() >= 200, $"{stage} was timed on fewer than 200 images");
        }

        AssertNumbers(root, "endToEnd", "median", "p95");
        var models = Field(root, "models").EnumerateObject().ToList();
        Assert.NotEmpty(models);
        Assert.All(models, m => AssertNumbers(m.Value, "", "median", "p95"));
        var collections = Field(root, "search", "collections").EnumerateArray().ToList();
        Assert.Equal([1000, 2000], collections.Select(c => Field(c, "faces").GetInt32()));
        Assert.All(collections, c => AssertNumbers(c, "", "searchMsP50", "searchMsP95", "memoryBytesPerFace"));
    }

    private IServiceProvider Services() => new ServiceCollection().AddSingleton<LocalFaceEngine>(fixture.Engine).BuildServiceProvider();

    /// <summary>
    /// The first <paramref name="identities"/> people of lfw-dev with enough photos, copied to a temporary folder (never
    /// into the repository), with pairs.tsv and identification.tsv in the dataset's own formats.
    /// </summary>
    private string SmallDataset(int identities, int imagesEach)
    {
        var source = TestEnvironment.RequireDataset();
        var root = Directory.CreateDirectory(_folder.File("dataset")).FullName;
        var people = Directory.GetDirectories(source).Order(StringComparer.Ordinal)
            .Select(d => (Name: Path.GetFileName(d), Photos: Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal).Take(imagesEach).ToArray()))
            .Where(p => p.Photos.Length == imagesEach)
            .Take(identities)
            .ToList();
        foreach (var (name, photos) in people)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            foreach (var photo in photos)
            {
                File.Copy(photo, Path.Combine(folder, Path.GetFileName(photo)));
            }
        }

        string Relative(int person, int photo) => $"{people[person].Name}/{Path.GetFileName(people[person].Photos[photo])}";
        var pairs = new List<string>();
        for (var i = 0; i < people.Count; i++)
        {
            pairs.Add($"{Relative(i, 0)}\t{Relative(i, 1)}\t1");
            pairs.Add($"{Relative(i, 0)}\t{Relative((i + 1) % people.Count, 1)}\t0");
        }

        File.WriteAllLines(Path.Combine(root, "pairs.tsv"), pairs);
        File.WriteAllLines(Path.Combine(root, "identification.tsv"),
            ["path\tidentity\trole", .. people.SelectMany((p, i) => Enumerable.Range(0, imagesEach).Select(k => $"{Relative(i, k)}\t{p.Name}\t{(k == 0 ? "gallery" : "probe")}"))]);
        return root;
    }

    private static JsonElement Field(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            Assert.True(element.TryGetProperty(name, out element), $"missing field '{name}' of {string.Join('.', path)}");
        }

        return element;
    }

    private static void AssertNumbers(JsonElement root, string section, params string[] names)
    {
        var parent = section.Length == 0 ? root : Field(root, section.Split('.'));
        foreach (var name in names)
        {
            Assert.True(Field(parent, name).ValueKind == JsonValueKind.Number, $"{section}.{name} is not a number");
        }
    }
}
