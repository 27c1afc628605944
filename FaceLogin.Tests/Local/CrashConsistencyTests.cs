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
        var (exitCode, output, errors) = await CrashDriver.RunAsync(Settings, "sign-up", Photo(1), crashPoint, _cancellation);
        Assert.True(exitCode == CrashLeftovers.Killed, $"the sign-up was not killed at {crashPoint} (exit {exitCode}):\n{output}\n{errors}");
        var left = await CrashLeftovers.ReadAsync(Settings, _cancellation);
        Assert.Empty(left.People);
        Assert.NotEmpty(left.CollectionFaces); // the face is indexed first: what the crash left is a face without a person

        var dryRun = await CrashLeftovers.ReconcileAsync(Settings, _cancellation);
        Assert.Contains("would delete  face-without-record", dryRun, StringComparison.Ordinal);
        Assert.Equal(left.Files, (await CrashLeftovers.ReadAsync(Settings, _cancellation)).Files); // a dry run changes nothing

        await CrashLeftovers.ReconcileAsync(Settings, _cancellation, "--repair");
        CrashLeftovers.AssertNothingLeftBehind(await CrashLeftovers.ReadAsync(Settings, _cancellation));
    }

    [Fact]
    public async Task A_sign_up_killed_after_recording_the_person_is_kept_whole()
    {
        var (exitCode, _, _) = await CrashDriver.RunAsync(Settings, "sign-up", Photo(1), "sign-up:after-person", _cancellation);
        Assert.Equal(CrashLeftovers.Killed, exitCode);

        await CrashLeftovers.ReconcileAsync(Settings, _cancellation, "--repair");
        var stores = await CrashLeftovers.ReadAsync(Settings, _cancellation);
        CrashLeftovers.AssertNothingLeftBehind(stores);
        Assert.Single(stores.People);
        Assert.Single(stores.CollectionFaces);
        Assert.Equal(2, stores.Files.Count); // the photo and its sidecar
    }

    [Fact]
    public async Task An_import_killed_after_indexing_leaves_no_photo_or_sidecar_after_reconcile()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        var (exitCode, output, errors) = await CrashLeftovers.ImportAsync(Settings, _photos.Root, "stored-image:after-face", _cancellation);
        Assert.True(exitCode == CrashLeftovers.Killed, $"import was not killed (exit {exitCode}):\n{output}\n{errors}");
        var left = await CrashLeftovers.ReadAsync(Settings, _cancellation);
        Assert.Empty(left.People);
        Assert.Contains(left.Files, f => f.EndsWith(".json", StringComparison.Ordinal)); // the sidecar with the full name
        Assert.Contains(left.Files, f => f.EndsWith(".jpg", StringComparison.Ordinal));

        await CrashLeftovers.ReconcileAsync(Settings, _cancellation, "--repair");
        CrashLeftovers.AssertNothingLeftBehind(await CrashLeftovers.ReadAsync(Settings, _cancellation));
    }

    [Fact]
    public async Task An_import_killed_after_storing_the_photo_waits_for_its_registration_and_a_second_run_finishes_it()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        var (exitCode, _, _) = await CrashLeftovers.ImportAsync(Settings, _photos.Root, "import:after-image", _cancellation);
        Assert.Equal(CrashLeftovers.Killed, exitCode);

        // Nothing indexed yet: the photo may be an upload on its way to its registration, so it is left (and said so).
        var repair = await CrashLeftovers.ReconcileAsync(Settings, _cancellation, "--repair");
        Assert.Contains("waiting  image", repair, StringComparison.Ordinal);
        Assert.NotEmpty((await CrashLeftovers.ReadAsync(Settings, _cancellation)).Files);

        var (again, output, errors) = await CrashLeftovers.ImportAsync(Settings, _photos.Root, crashPoint: null, _cancellation);
        Assert.True(again == 0, $"import exited with {again}:\n{output}\n{errors}");
        var stores = await CrashLeftovers.ReadAsync(Settings, _cancellation);
        CrashLeftovers.AssertNothingLeftBehind(stores);
        Assert.Single(stores.People);
    }

    [Fact]
    public async Task An_old_photo_that_nothing_registered_is_deleted_by_reconcile()
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        Assert.Equal(CrashLeftovers.Killed, (await CrashLeftovers.ImportAsync(Settings, _photos.Root, "import:after-image", _cancellation)).ExitCode);

        await CrashLeftovers.ReconcileAsync(new Dictionary<string, string?>(Settings) { ["FaceLogin:Reconciliation:PendingImageGrace"] = "00:00:00" }, _cancellation, "--repair");
        CrashLeftovers.AssertNothingLeftBehind(await CrashLeftovers.ReadAsync(Settings, _cancellation));
    }

    [Theory]
    [InlineData("deletion:after-faces")]
    [InlineData("deletion:after-images")]
    public async Task A_deletion_killed_half_way_is_finished_by_reconcile(string crashPoint)
    {
        _photos.Add("Aaron Peirsol", "1.jpg", File.ReadAllBytes(Photo(1)));
        _photos.Add("Aaron Peirsol", "2.jpg", File.ReadAllBytes(Photo(2)));
        Assert.Equal(0, (await CrashLeftovers.ImportAsync(Settings, _photos.Root, crashPoint: null, _cancellation)).ExitCode);
        var person = Assert.Single((await CrashLeftovers.ReadAsync(Settings, _cancellation)).People);

        var (exitCode, output, errors) = await CrashDriver.RunAsync(Settings, "delete", person.ToString(), crashPoint, _cancellation);
        Assert.True(exitCode == CrashLeftovers.Killed, $"the deletion was not killed at {crashPoint} (exit {exitCode}):\n{output}\n{errors}");
        Assert.Single((await CrashLeftovers.ReadAsync(Settings, _cancellation)).People); // still listed: its record is what finds the rest

        var dryRun = await CrashLeftovers.ReconcileAsync(Settings, _cancellation);
        Assert.Contains("would delete  record-without-face", dryRun, StringComparison.Ordinal);
        await CrashLeftovers.ReconcileAsync(Settings, _cancellation, "--repair");
        var stores = await CrashLeftovers.ReadAsync(Settings, _cancellation);
        CrashLeftovers.AssertNothingLeftBehind(stores);
        Assert.Empty(stores.People); // finished, never brought back
    }

    [Fact]
    public async Task The_app_repairs_at_start_up_in_local_mode()
    {
        Assert.Equal(CrashLeftovers.Killed, (await CrashDriver.RunAsync(Settings, "sign-up", Photo(1), "sign-up:after-image", _cancellation)).ExitCode);

        using (var host = LfwImportRun.BuildDomain(Settings))
        {
            foreach (var started in host.Services.GetServices<IHostedService>())
            {
                await started.StartAsync(_cancellation);
            }
        }

        CrashLeftovers.AssertNothingLeftBehind(await CrashLeftovers.ReadAsync(Settings, _cancellation));
    }

    private static string Photo(int ordinal) => CrashLeftovers.LfwPhoto(Person, ordinal);
}

/// <summary>The crash tests start child processes that each load the engine: one at a time, beside the engine's other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalFaceEngineCollectionForCrashes
{
    public const string Name = "crash consistency";
}
