using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Local;

/// <summary>
/// Kills real processes — the <c>import</c> verb, and the app's sign-up and deletion run by <see cref="CrashDriver"/> — at each
/// point between their writes (<see cref="CrashPoint"/>: SIGKILL, nothing undone), then runs <c>reconcile</c> in another
/// process, and checks on the real files: no photo, sidecar or face without a person, no person without a face, no face
/// record without its face; a registration that completed is kept, a deletion that was cut short is finished.
/// Local mode: real SQLite files, the real local collection and engine, real lfw-dev photos.
/// </summary>
[Collection(LocalFaceEngineCollectionForCrashes.Name)]
public sealed class CrashConsistencyTests : IDisposable
{
    /// <summary>What .NET reports for a child killed by SIGKILL (128 + 9).</summary>
    private const int Killed = 137;

    private const string Person = "Aaron_Peirsol";

    private readonly TempFolder _data = new();
    private readonly ImportFolder _photos = new();
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _data.Dispose();
        _photos.Dispose();
    }

    private Dictionary<string, string?> Settings => new() { ["FaceLogin:DataPath"] = _data.Path };

    [Theory]
    [InlineData("sign-up:after-face")]
    [InlineData("sign-up:after-image")]
    public async Task A_sign_up_killed_between_its_writes_leaves_nothing_after_reconcile(string crashPoint)
    {
        var (exitCode, output, errors) = await CrashDriver.RunAsync(_data.Path, "sign-up", Photo(1), crashPoint, _cancellation);
        Assert.True(exitCode == Killed, $"the sign-up was not killed at {crashPoint} (exit {exitCode}):\n{output}\n{errors}");
        var left = await ReadStoresAsync();
        Assert.Empty(left.People);
        Assert.NotEmpty(left.CollectionFaces); // the face is indexed first: what the crash left is a face without a person

        var dryRun = await ReconcileAsync();
        Assert.Contains("would delete  face-without-record", dryRun, StringComparison.Ordinal);
        Assert.Equal(left.Files, (await ReadStoresAsync()).Files); // a dry run changes nothing

        await ReconcileAsync("--repair");
        AssertNothingLeftBehind(await ReadStoresAsync());
    }

    [Fact]
    public async Task A_sign_up_killed_after_recording_the_person_is_kept_whole()
    {
        var (exitCode, _, _) = await CrashDriver.RunAsync(_data.Path, "sign-up", Photo(1), "sign-up:after-person", _cancellation);
        Assert.Equal(Killed, exitCode);

        await ReconcileAsync("--repair");
        var stores = await ReadStoresAsync();
        AssertNothingLeftBehind(stores);
        Assert.Single(stores.People);
        Assert.Single(stores.CollectionFaces);
        Assert.Equal(2, stores.Files.Count); // the photo and its sidecar
    }

    [Fact]
    public async Task An_import_killed_after_indexing_leaves_no_photo_or_sidecar_after_reconcile()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        var (exitCode, output, errors) = await ImportAsync("stored-image:after-face");
        Assert.True(exitCode == Killed, $"import was not killed (exit {exitCode}):\n{output}\n{errors}");
        var left = await ReadStoresAsync();
        Assert.Empty(left.People);
        Assert.Contains(left.Files, f => f.EndsWith(".json", StringComparison.Ordinal)); // the sidecar with the full name
        Assert.Contains(left.Files, f => f.EndsWith(".jpg", StringComparison.Ordinal));

        await ReconcileAsync("--repair");
        AssertNothingLeftBehind(await ReadStoresAsync());
    }

    [Fact]
    public async Task An_import_killed_after_storing_the_photo_waits_for_its_registration_and_a_second_run_finishes_it()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        var (exitCode, _, _) = await ImportAsync("import:after-image");
        Assert.Equal(Killed, exitCode);

        // Nothing indexed yet: the photo may be an upload on its way to its registration, so it is left (and said so).
        var repair = await ReconcileAsync("--repair");
        Assert.Contains("waiting  image", repair, StringComparison.Ordinal);
        Assert.NotEmpty((await ReadStoresAsync()).Files);

        var (again, output, errors) = await ImportAsync(crashPoint: null);
        Assert.True(again == 0, $"import exited with {again}:\n{output}\n{errors}");
        var stores = await ReadStoresAsync();
        AssertNothingLeftBehind(stores);
        Assert.Single(stores.People);
    }

    [Fact]
    public async Task An_old_photo_that_nothing_registered_is_deleted_by_reconcile()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        Assert.Equal(Killed, (await ImportAsync("import:after-image")).ExitCode);

        await ReconcileAsync("--repair", "FaceLogin:Reconciliation:PendingImageGrace", "00:00:00");
        AssertNothingLeftBehind(await ReadStoresAsync());
    }

    [Theory]
    [InlineData("deletion:after-faces")]
    [InlineData("deletion:after-images")]
    public async Task A_deletion_killed_half_way_is_finished_by_reconcile(string crashPoint)
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        _photos.Add("Aaron Peirsol", "2.jpg", File.ReadAllBytes(Photo(2)));
        Assert.Equal(0, (await ImportAsync(crashPoint: null)).ExitCode);
        var person = Assert.Single((await ReadStoresAsync()).People);

        var (exitCode, output, errors) = await CrashDriver.RunAsync(_data.Path, "delete", person.ToString(), crashPoint, _cancellation);
        Assert.True(exitCode == Killed, $"the deletion was not killed at {crashPoint} (exit {exitCode}):\n{output}\n{errors}");
        Assert.Single((await ReadStoresAsync()).People); // still listed: its record is what finds the rest

        var dryRun = await ReconcileAsync();
        Assert.Contains("would delete  record-without-face", dryRun, StringComparison.Ordinal);
        await ReconcileAsync("--repair");
        var stores = await ReadStoresAsync();
        AssertNothingLeftBehind(stores);
        Assert.Empty(stores.People); // finished, never brought back
    }

    [Fact]
    public async Task The_app_repairs_at_start_up_in_local_mode()
    {
        Assert.Equal(Killed, (await CrashDriver.RunAsync(_data.Path, "sign-up", Photo(1), "sign-up:after-image", _cancellation)).ExitCode);

        using (var host = LfwImportRun.BuildDomain(Settings))
        {
            foreach (var started in host.Services.GetServices<IHostedService>())
            {
                await started.StartAsync(_cancellation);
            }
        }

        AssertNothingLeftBehind(await ReadStoresAsync());
    }

    private static string Photo(int ordinal) =>
        Directory.GetFiles(Path.Combine(TestEnvironment.RequireDataset(), Person), "*.jpg").Order(StringComparer.Ordinal).ElementAt(ordinal - 1);

    private Task<(int ExitCode, string Output, string Errors)> ImportAsync(string? crashPoint)
    {
        var settings = Settings;
        settings[CrashPoint.VariableName] = crashPoint;
        return WebCommand.RunAsync(settings, ["import", _photos.Root], _cancellation);
    }

    /// <summary>Runs <c>reconcile</c> (with <paramref name="flag"/>) in a child process; its output, after checking it exited 0.</summary>
    private async Task<string> ReconcileAsync(string? flag = null, string? setting = null, string? value = null)
    {
        var settings = Settings;
        if (setting is not null)
        {
            settings[setting] = value;
        }

        var (exitCode, output, errors) = await WebCommand.RunAsync(settings, flag is null ? ["reconcile"] : ["reconcile", flag], _cancellation);
        Assert.True(exitCode == 0, $"reconcile {flag} exited with {exitCode}:\n{output}\n{errors}");
        return output;
    }

    private sealed record Stores(
        IReadOnlyList<Guid> People,
        IReadOnlyDictionary<Guid, IReadOnlyList<RegisteredFace>> Records,
        IReadOnlyList<FaceRecord> CollectionFaces,
        IReadOnlyList<string> Files);

    /// <summary>What is on disk: the directory, the collection and every file under the image folder.</summary>
    private async Task<Stores> ReadStoresAsync()
    {
        using var host = LfwImportRun.BuildDomain(Settings);
        await FaceLoginStartup.InitializeAsync(host.Services, _cancellation);
        var directory = host.Services.GetRequiredService<IFaceDirectory>();
        var people = (await directory.ListPeopleAsync(new PeopleQuery(0, PageRequest.MaxPageSize, null), _cancellation)).Items.Select(p => p.Person.Id).ToList();
        var records = new Dictionary<Guid, IReadOnlyList<RegisteredFace>>();
        foreach (var person in people)
        {
            records[person] = await directory.GetFacesAsync(person, _cancellation);
        }

        var faces = (await host.Services.GetRequiredService<IFaceCollection>().ListFacesAsync(null, 4096, _cancellation)).Faces;
        var imageFolder = Path.Combine(_data.Path, LocalStoresServiceCollectionExtensions.ImagesFolderName);
        var files = Directory.Exists(imageFolder)
            ? Directory.EnumerateFiles(imageFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(imageFolder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
        return new Stores(people, records, faces, files);
    }

    private static void AssertNothingLeftBehind(Stores stores)
    {
        var recorded = stores.Records.Values.SelectMany(r => r).ToList();
        var expectedFiles = recorded.SelectMany(r => new[] { r.ImageKey.Value, Path.ChangeExtension(r.ImageKey.Value, ".json") }).ToHashSet(StringComparer.Ordinal);
        Assert.All(stores.Files, file => Assert.Contains(file, expectedFiles)); // no photo or sidecar without a person
        Assert.All(stores.CollectionFaces, f => Assert.Contains(recorded, r => r.FaceId == f.FaceId)); // no face without a person
        Assert.All(stores.People, p => Assert.NotEmpty(stores.Records[p])); // no person without a face
        Assert.All(recorded, r => Assert.Contains(stores.CollectionFaces, f => f.FaceId == r.FaceId && f.ExternalImageId == r.PersonId.ToString("N")));
    }
}

/// <summary>The crash tests start child processes that each load the engine: one at a time, beside the engine's other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalFaceEngineCollectionForCrashes
{
    public const string Name = "crash consistency";
}
