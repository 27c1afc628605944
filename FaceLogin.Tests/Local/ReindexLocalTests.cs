using System.Diagnostics;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reindexing;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Local;

/// <summary>
/// <c>reindex</c> in local mode with the REAL engine on lfw-dev people: registered with dlib's recogniser (the first engine),
/// re-computed from their stored photos with the configured default (MobileFaceNet), and signing in with another photo.
/// </summary>
public sealed class ReindexLocalTests : IDisposable
{
    private static readonly Dictionary<string, string?> Dlib = new()
    {
        ["FaceLogin:Engine:Recognizer"] = "DlibResNet",
        ["FaceLogin:Engine:Landmarks"] = "FaceApi",
    };

    private readonly ImportFolder _photos = new();
    private readonly string _data;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public ReindexLocalTests() => _data = Path.Combine(_photos.Root, "..", Path.GetFileName(_photos.Root) + "-data");

    [Fact]
    public async Task People_registered_with_dlib_still_sign_in_with_another_photo_after_a_reindex_and_nothing_is_left_of_the_old_model()
    {
        var people = await ImportFirstPhotosAsync(count: 16);

        // The app with the new default refuses to start and names the command.
        using (var refused = Host())
        {
            var error = await Assert.ThrowsAsync<FaceLoginStartupException>(() => FaceLoginStartup.InitializeAsync(refused.Services, _ct));
            Assert.Contains("reindex", error.Message, StringComparison.Ordinal);
        }

        using (var tool = Host())
        {
            var dryRun = await ReindexAsync(tool, new ReindexOptions(DryRun: true));
            Assert.Equal(ReindexOutcome.DryRun, dryRun.Outcome);
            Assert.Equal((people.Count, 0, "facelogin-g1"), (dryRun.Faces, dryRun.AlreadyDone, dryRun.ToCollection));
            Assert.Null(await Generations(tool).GetReindexTargetAsync(_ct));

            var report = await ReindexAsync(tool, new ReindexOptions());

            Assert.Equal(ReindexOutcome.Switched, report.Outcome);
            Assert.Equal((people.Count, people.Count, 0), (report.Faces, report.Computed, report.Failures.Count));
            Assert.Equal(["facelogin"], report.RetainedCollections);
            Assert.Equal(ReindexOutcome.UpToDate, (await ReindexAsync(tool, new ReindexOptions())).Outcome);
        }

        using var app = Host();
        await FaceLoginStartup.InitializeAsync(app.Services, _ct);
        var directory = app.Services.GetRequiredService<IFaceDirectory>();
        await LfwImportRun.AssertEachSignsInAsThemselvesAsync(app.Services, people, _ct);

        var served = await app.Services.GetRequiredService<ServedFaceCollection>().BindAsync(_ct);
        Assert.Equal("facelogin-g1", served.CollectionId);
        Assert.Equal(people.Count, (await served.DescribeCollectionAsync(_ct))!.FaceCount);
        Assert.StartsWith("mobilefacenet", (await served.DescribeCollectionAsync(_ct))!.FaceModelVersion, StringComparison.Ordinal);
        Assert.Empty((await Generations(app).ListFacesAsync(0, null, 100, _ct)).Faces);

        // --delete-old removes the dlib collection, the last copy of the old templates.
        var collections = app.Services.GetRequiredService<LocalFaceCollections>();
        Assert.NotNull(await collections.DescribeAsync("facelogin", _ct));
        var cleanUp = await ReindexAsync(app, new ReindexOptions(DeleteOld: true));
        Assert.Equal(ReindexOutcome.UpToDate, cleanUp.Outcome);
        Assert.Equal(["facelogin"], cleanUp.DeletedCollections);
        Assert.Null(await collections.DescribeAsync("facelogin", _ct));
        Assert.Empty((await Generations(app).ReadActiveGenerationAsync(_ct))!.RetainedCollectionIds);
        Assert.Equal(people.Count, (await directory.ListPeopleAsync(new PeopleQuery(0, 100, null), _ct)).TotalCount);
    }

    [Fact]
    public async Task A_reindex_killed_in_the_middle_is_finished_by_a_rerun_with_nothing_lost_or_doubled()
    {
        var people = await ImportFirstPhotosAsync(count: 120);

        // The real command in a child process, killed (SIGKILL) once the directory shows it has re-computed a few faces.
        using var tool = Host();
        var generations = Generations(tool);
        using (var child = StartReindex())
        {
            await WaitUntilComputedAsync(generations, child, atLeast: 5);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(_ct);
        }

        var target = await generations.GetReindexTargetAsync(_ct);
        Assert.True(target is not null, $"the killed run left no re-index in progress; active: {await generations.ReadActiveGenerationAsync(_ct)}");
        var doneBefore = (await generations.ListFacesAsync(target.Generation, null, 1000, _ct)).Faces.Count;
        Assert.InRange(doneBefore, 1, people.Count - 1);

        var rerun = await ReindexAsync(tool, new ReindexOptions());

        Assert.Equal(ReindexOutcome.Switched, rerun.Outcome);
        Assert.Equal((people.Count, doneBefore, people.Count - doneBefore), (rerun.Faces, rerun.AlreadyDone, rerun.Computed));
        using var app = Host();
        await FaceLoginStartup.InitializeAsync(app.Services, _ct);
        var records = (await Generations(app).ListFacesAsync(target.Generation, null, 1000, _ct)).Faces;
        var collection = app.Services.GetRequiredService<LocalFaceCollections>().Open(target.CollectionId);
        var indexed = (await collection.ListFacesAsync(null, 1000, _ct)).Faces;
        // One record per photo, one face per record, and no face without a record.
        Assert.Equal(people.Count, records.Select(r => r.ImageKey).Distinct().Count());
        Assert.Equal(records.Select(r => r.FaceId).Order(StringComparer.Ordinal), indexed.Select(f => f.FaceId).Order(StringComparer.Ordinal));
        Assert.Empty((await Generations(app).ListFacesAsync(0, null, 1000, _ct)).Faces);
    }

    /// <summary>The first lfw-dev people with two photos or more, their first photo imported with dlib.</summary>
    private async Task<List<LfwPerson>> ImportFirstPhotosAsync(int count)
    {
        using var host = Host(Dlib);
        await FaceLoginStartup.InitializeAsync(host.Services, _ct);
        return await LfwImportRun.ImportFirstPhotosAsync(host.Services, _photos, LfwImportRun.PeopleWithTwoPhotos(count), _ct);
    }

    private async Task<ReindexReport> ReindexAsync(IHost host, ReindexOptions options)
    {
        await host.Services.GetRequiredService<IFaceDirectory>().InitializeAsync(_ct);
        return await ActivatorUtilities.CreateInstance<CollectionReindexer>(host.Services).RunAsync(options, progress: null, _ct);
    }

    private static ICollectionGenerations Generations(IHost host) => host.Services.GetRequiredService<ICollectionGenerations>();

    private IHost Host(IReadOnlyDictionary<string, string?>? engine = null)
    {
        var settings = new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _data };
        foreach (var (key, value) in engine ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return LfwImportRun.BuildDomain(settings);
    }

    private Process StartReindex() =>
        WebCommand.Start(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _data, ["FaceLogin:Engine:IntraOpThreads"] = "1" }, "reindex");

    /// <summary>Polls the directory (as another process sees it) until the child has recorded <paramref name="atLeast"/> re-computed faces.</summary>
    private async Task WaitUntilComputedAsync(ICollectionGenerations generations, Process child, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            if (child.HasExited)
            {
                // The message reads the output only now: read before, it would wait for the child to end.
                Assert.Fail($"reindex ended with {child.ExitCode} before re-computing {atLeast} faces:\n{await child.StandardOutput.ReadToEndAsync(_ct)}\n{await child.StandardError.ReadToEndAsync(_ct)}");
            }

            Assert.True(DateTime.UtcNow < deadline, "reindex re-computed nothing for 3 minutes");
            if (await generations.GetReindexTargetAsync(_ct) is { } target
                && (await generations.ListFacesAsync(target.Generation, null, atLeast, _ct)).Faces.Count >= atLeast)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _ct);
        }
    }

    public void Dispose()
    {
        _photos.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
