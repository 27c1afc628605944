using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Domain.Reconciliation;

/// <summary>
/// What reconciliation must not take: a registration in progress elsewhere (its person's lease is held), and the people of a
/// collection that was lost rather than of deletions cut short. Real SQLite files and image files; the face collection is
/// the deterministic double. The crash tests with real processes are in Local/CrashConsistencyTests.
/// </summary>
public sealed class ReconciliationServiceTests : IDisposable
{
    private readonly DomainHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_registration_between_its_writes_in_another_process_is_left_alone_until_its_lease_is_released()
    {
        // The "other process": a second directory on the same file, which holds the person's lease as a registration does
        // from indexing to its directory write.
        using var registering = new SqliteFaceDirectory(_harness.Directory.DatabasePath, new SqliteDirectoryOptions(), _harness.Time, _harness.Logs.For<SqliteFaceDirectory>());
        var personId = Guid.NewGuid();
        var key = FaceImageKey.New(personId);
        var lease = await registering.HoldPersonLeaseAsync(personId, _harness.Cancellation);
        await _harness.Collection.IndexFaceAsync(FakeFaceImages.Of("ann"), personId.ToString("N"), _harness.Cancellation);
        await _harness.Images.PutAsync(key, FakeFaceImages.Of("ann"), new FaceImageMetadata("Ann Smith", personId, "image/jpeg"), _harness.Cancellation);

        var whileHeld = await Reconciler().RunAsync(repair: true, _harness.Cancellation);

        Assert.Equal([personId], whileHeld.BusyPeople);
        Assert.Empty(whileHeld.Leftovers);
        Assert.False(whileHeld.Clean);
        Assert.NotNull(await _harness.Images.GetAsync(key, _harness.Cancellation));
        Assert.Single((await _harness.Collection.ListFacesAsync(null, 10, _harness.Cancellation)).Faces);

        await lease.DisposeAsync(); // the registration died (or gave up) without recording the person
        var after = await Reconciler().RunAsync(repair: true, _harness.Cancellation);

        Assert.True(after.Clean);
        Assert.Equal([LeftoverKind.UnrecordedFace, LeftoverKind.UnrecordedImage], after.Leftovers.Select(l => l.Kind).Order());
        Assert.Null(await _harness.Images.GetAsync(key, _harness.Cancellation));
        Assert.Empty((await _harness.Collection.ListFacesAsync(null, 10, _harness.Cancellation)).Faces);
    }

    [Fact]
    public async Task A_lost_collection_keeps_everybody_and_names_reindex()
    {
        for (var i = 0; i < 12; i++)
        {
            await _harness.RegisterAsync($"Person {i}", FakeFaceImages.Of($"person-{i}"));
        }

        var all = (await _harness.Collection.ListFacesAsync(null, 100, _harness.Cancellation)).Faces.Select(f => f.FaceId).ToArray();
        await _harness.Collection.DeleteFacesAsync(all, _harness.Cancellation);

        var report = await Reconciler().RunAsync(repair: true, _harness.Cancellation);

        Assert.Empty(report.Leftovers);
        Assert.Contains("reindex", Assert.Single(report.Warnings), StringComparison.Ordinal);
        Assert.False(report.Clean);
        Assert.Equal(12, await _harness.Directory.CountPeopleAsync(_harness.Cancellation));
        Assert.Equal(12, _harness.Folder.Files(LocalStoresServiceCollectionExtensions.ImagesFolderName).Count(f => f.EndsWith(".jpg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_consistent_installation_has_nothing_to_repair()
    {
        await _harness.RegisterAsync("Ann Smith", FakeFaceImages.Of("ann"));
        await _harness.RegisterAsync("Bob Jones", FakeFaceImages.Of("bob"));

        var report = await Reconciler().RunAsync(repair: true, _harness.Cancellation);

        Assert.True(report.Clean);
        Assert.Empty(report.Leftovers);
        Assert.Equal((2, 2, 2, 2), (report.People, report.RecordedFaces, report.CollectionFaces, report.Images));
    }

    /// <summary>
    /// Over its own directory instance on the harness's file, waiting for a lease a moment only, and on the real clock: the
    /// photos' ages come from the files' times.
    /// </summary>
    private ReconciliationService Reconciler() =>
        new(_harness.Collection, _harness.Images,
            new SqliteFaceDirectory(_harness.Directory.DatabasePath, new SqliteDirectoryOptions { LeaseWait = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, _harness.Logs.For<SqliteFaceDirectory>()),
            Options.Create(new ReconciliationOptions()), TimeProvider.System, _harness.Logs.For<ReconciliationService>());
}
