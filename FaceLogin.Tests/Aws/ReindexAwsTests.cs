using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Domain.Reindexing;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// <c>reindex</c> in AWS mode on lfw-dev people, with images in s3rver and the directory in DynamoDB Local: in hybrid mode
/// from dlib's recogniser to the default local one (the real command in a child process), and with Rekognition (the
/// <see cref="RekognitionEmulator"/> over the real local engine) from a collection of model "6.0" to the next generation once
/// new collections get "7.0".
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class ReindexAwsTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private const int People = 12;

    private readonly ImportFolder _photos = new();
    private readonly TempFolder _data = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hybrid_people_imported_with_dlib_sign_in_after_the_reindex_command_and_the_old_collection_stays_until_delete_old()
    {
        var (settings, _) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, _data.Path, _ct);
        List<LfwPerson> people;
        using (var dlib = LfwImportRun.BuildDomain(With(settings, ("FaceLogin:Engine:Recognizer", "DlibResNet"), ("FaceLogin:Engine:Landmarks", "FaceApi"))))
        {
            await FaceLoginStartup.InitializeAsync(dlib.Services, _ct);
            people = await LfwImportRun.ImportFirstPhotosAsync(dlib.Services, _photos, LfwImportRun.PeopleWithTwoPhotos(People), _ct);
        }

        // The app with the default recogniser refuses to start and names the command.
        using (var refused = LfwImportRun.BuildDomain(settings))
        {
            var error = await Assert.ThrowsAsync<FaceLoginStartupException>(() => FaceLoginStartup.InitializeAsync(refused.Services, _ct));
            Assert.Contains("reindex", error.Message, StringComparison.Ordinal);
        }

        // The operator's command, configured from the environment, against S3 and DynamoDB.
        var (exitCode, output, errors) = await WebCommand.RunAsync(
            [.. settings, new("AWS_ACCESS_KEY_ID", "S3RVER"), new("AWS_SECRET_ACCESS_KEY", "S3RVER")], ["reindex"], _ct);
        Assert.True(exitCode == 0, $"reindex exited with {exitCode}:\n{output}\n{errors}");
        Assert.Contains("switched: facelogin-g1", output, StringComparison.Ordinal);
        Assert.Contains($"{people.Count} faces re-computed", output, StringComparison.Ordinal);
        Assert.Contains("kept old collection facelogin", output, StringComparison.Ordinal);

        using var app = LfwImportRun.BuildDomain(settings);
        await FaceLoginStartup.InitializeAsync(app.Services, _ct);
        await LfwImportRun.AssertEachSignsInAsThemselvesAsync(app.Services, people, _ct);
        var generations = app.Services.GetRequiredService<ICollectionGenerations>();
        var active = await generations.ReadActiveGenerationAsync(_ct);
        Assert.Equal((1, "facelogin-g1", null), (active?.Number, active?.CollectionId, active?.PreviousGeneration));
        Assert.Equal(people.Count, (await generations.ListFacesAsync(1, null, 100, _ct)).Faces.Count);
        Assert.Empty((await generations.ListFacesAsync(0, null, 100, _ct)).Faces);

        // The dlib collection is kept, the last copy of the old templates, until --delete-old.
        var collections = app.Services.GetRequiredService<LocalFaceCollections>();
        Assert.Equal(people.Count, (await collections.DescribeAsync("facelogin", _ct))?.FaceCount);
        var cleanUp = await ReindexAsync(app, new ReindexOptions(DeleteOld: true));
        Assert.Equal(ReindexOutcome.UpToDate, cleanUp.Outcome);
        Assert.Equal(["facelogin"], cleanUp.DeletedCollections);
        Assert.Null(await collections.DescribeAsync("facelogin", _ct));
        Assert.Empty((await generations.ReadActiveGenerationAsync(_ct))!.RetainedCollectionIds);
    }

    [Fact]
    public async Task With_Rekognition_reindex_moves_everybody_into_the_next_generation_only_when_new_collections_get_another_model()
    {
        using var rekognition = new RekognitionEmulator { NewCollectionModel = "6.0" };
        var (hybrid, _) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, _data.Path, _ct);
        var settings = With(hybrid, ("FaceLogin:Faces", "Rekognition"), ("FaceLogin:Aws:Region", "us-east-1"));
        // Two more: the first after them (Ali Abbas) has a second face in his first photo; the one after that signs up below.
        var everyone = LfwImportRun.PeopleWithTwoPhotos(People + 2);
        using var before = Host(settings, rekognition);
        await before.Services.GetRequiredService<AwsProvisioner>().ProvisionAsync(_ct);
        await FaceLoginStartup.InitializeAsync(before.Services, _ct);
        var people = await LfwImportRun.ImportFirstPhotosAsync(before.Services, _photos, everyone.Take(People).ToList(), _ct);
        var generations = before.Services.GetRequiredService<ICollectionGenerations>();

        // New collections still get "6.0": nothing to do, and the candidate made to find that out is gone again.
        var upToDate = await ReindexAsync(before, new ReindexOptions());
        Assert.Equal((ReindexOutcome.UpToDate, "facelogin", "6.0"), (upToDate.Outcome, upToDate.ToCollection, upToDate.ToModel));
        Assert.Equal(["facelogin"], rekognition.CollectionIds);
        Assert.Contains(("CreateCollection", "facelogin-g1"), rekognition.Calls);
        Assert.Null(await generations.GetReindexTargetAsync(_ct));

        // Rekognition releases "7.0": the next generation gets it, and every registered photo is indexed into it once.
        rekognition.NewCollectionModel = "7.0";
        var callsBefore = rekognition.Requests.Count;

        // A dry run cannot know which model a new collection would get without making one, so it makes none and says so.
        var dryRun = await ReindexAsync(before, new ReindexOptions(DryRun: true));
        Assert.Equal((ReindexOutcome.DryRun, "facelogin-g1", (string?)null, people.Count), (dryRun.Outcome, dryRun.ToCollection, dryRun.ToModel, dryRun.Faces));
        Assert.DoesNotContain("already uses", Assert.Single(ReindexCommand.Describe(dryRun)), StringComparison.Ordinal);
        Assert.DoesNotContain(rekognition.Calls.Skip(callsBefore), c => c.Operation is "CreateCollection" or "DeleteCollection" or "IndexFaces");
        Assert.Null(await generations.GetReindexTargetAsync(_ct));

        var report = await ReindexAsync(before, new ReindexOptions());

        Assert.Equal((ReindexOutcome.Switched, "facelogin-g1", "7.0"), (report.Outcome, report.ToCollection, report.ToModel));
        Assert.Equal((people.Count, people.Count, 0), (report.Faces, report.Computed, report.Failures.Count));
        Assert.Equal(["facelogin"], report.RetainedCollections);
        var indexing = rekognition.Requests.Skip(callsBefore).Where(r => r.Operation == "IndexFaces").ToList();
        Assert.Equal(people.Count, indexing.Count);
        Assert.All(indexing, r => Assert.Equal(("facelogin-g1", "NONE"), (r.Json.GetProperty("CollectionId").GetString(), r.Json.GetProperty("QualityFilter").GetString())));
        var collections = before.Services.GetRequiredService<RekognitionFaceCollections>();
        Assert.Equal(("7.0", (long)people.Count), await collections.DescribeAsync("facelogin-g1", _ct) is { } g1 ? (g1.FaceModelVersion, g1.FaceCount) : default);
        var active = await generations.ReadActiveGenerationAsync(_ct);
        Assert.Equal((1, "facelogin-g1", "7.0"), (active?.Number, active?.CollectionId, active?.ModelVersion));
        Assert.Empty((await generations.ListFacesAsync(0, null, 100, _ct)).Faces);
        Assert.Equal(
            (await collections.Open("facelogin-g1").ListFacesAsync(null, 100, _ct)).Faces.Select(f => f.FaceId).Order(StringComparer.Ordinal),
            (await generations.ListFacesAsync(1, null, 100, _ct)).Faces.Select(f => f.FaceId).Order(StringComparer.Ordinal));

        // The app started before the switch recognises nobody (the old generation's face records are gone) and can no longer
        // register (the directory refuses its writes), leaving no face behind.
        var stale = await before.Services.GetRequiredService<AuthenticationService>()
            .AuthenticateAsync(new AuthenticationRequest(people[1].SecondPhoto, "198.51.100.1"), _ct);
        Assert.Equal(LoginOutcome.NotRecognised, stale.Outcome);
        var newcomer = everyone[^1];
        var registrationFrom = rekognition.Requests.Count;
        var refused = await before.Services.GetRequiredService<RegistrationService>()
            .RegisterAsync(new RegistrationRequest(newcomer.FullName, true, File.ReadAllBytes(newcomer.FirstPhotoPath)), _ct);
        Assert.Equal(RegistrationStatus.Failed, refused.Status);
        Assert.Equal([("IndexFaces", "facelogin"), ("DeleteFaces", "facelogin")], rekognition.Calls.Skip(registrationFrom).Where(c => c.Operation is "IndexFaces" or "DeleteFaces"));
        Assert.Equal(people.Count, (await collections.DescribeAsync("facelogin", _ct))?.FaceCount);

        // Restarted, the app serves the new generation: people sign in through it.
        using var after = Host(settings, rekognition);
        await FaceLoginStartup.InitializeAsync(after.Services, _ct);
        var signInsFrom = rekognition.Requests.Count;
        await LfwImportRun.AssertEachSignsInAsThemselvesAsync(after.Services, people, _ct);
        Assert.All(rekognition.Calls.Skip(signInsFrom).Where(c => c.Operation == "SearchFacesByImage"), c => Assert.Equal("facelogin-g1", c.CollectionId));

        // A person deleted now leaves no face in the kept old collection either.
        var deleted = await PersonIdAsync(after, people[0]);
        Assert.True(await after.Services.GetRequiredService<AdministrationService>().DeletePersonAsync(deleted, _ct));
        foreach (var collectionId in new[] { "facelogin", "facelogin-g1" })
        {
            var faces = (await collections.Open(collectionId).ListFacesAsync(null, 100, _ct)).Faces;
            Assert.Equal(people.Count - 1, faces.Count);
            Assert.DoesNotContain(faces, f => f.ExternalImageId == deleted.ToString("N"));
        }

        // --delete-old deletes the old collection in Rekognition.
        var cleanUp = await ReindexAsync(after, new ReindexOptions(DeleteOld: true));
        Assert.Equal(ReindexOutcome.UpToDate, cleanUp.Outcome);
        Assert.Equal(["facelogin"], cleanUp.DeletedCollections);
        Assert.Contains(("DeleteCollection", "facelogin"), rekognition.Calls);
        await Assert.ThrowsAsync<RekognitionResourceNotFoundException>(() => rekognition.Client.DescribeCollectionAsync(new DescribeCollectionRequest("facelogin"), _ct));
        Assert.Equal(["facelogin-g1"], rekognition.CollectionIds);
        Assert.Empty((await generations.ReadActiveGenerationAsync(_ct))!.RetainedCollectionIds);
    }

    /// <summary>The app's domain with its Rekognition calls answered by the emulator.</summary>
    private static IHost Host(Dictionary<string, string?> settings, RekognitionEmulator rekognition) =>
        LfwImportRun.BuildDomain(settings, services => services.AddSingleton(rekognition.Client));

    private async Task<ReindexReport> ReindexAsync(IHost host, ReindexOptions options) =>
        await ActivatorUtilities.CreateInstance<CollectionReindexer>(host.Services).RunAsync(options, progress: null, _ct);

    private async Task<Guid> PersonIdAsync(IHost host, LfwPerson person) =>
        Assert.Single((await host.Services.GetRequiredService<IFaceDirectory>().ListPeopleAsync(new PeopleQuery(0, 10, person.FullName), _ct)).Items).Person.Id;

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, params (string Key, string Value)[] more)
    {
        var combined = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in more)
        {
            combined[key] = value;
        }

        return combined;
    }

    public void Dispose()
    {
        _photos.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }
}
