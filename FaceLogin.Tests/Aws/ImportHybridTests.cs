using System.Text;
using Amazon.S3.Model;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli.Import;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// <c>import</c> in hybrid AWS mode: images into s3rver, people into DynamoDB Local, faces into the
/// <see cref="FakeFaceCollection"/> double (the lfw-dev run with the real local engine is <see cref="ImportLfwHybridTests"/>).
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class ImportHybridTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeFaceCollection _faces = new();
    private readonly ImportFolder _folder = new();

    private static FaceImporter Importer(AwsModeServices aws) => ActivatorUtilities.CreateInstance<FaceImporter>(aws.Provider);

    [Fact]
    public async Task A_folder_is_imported_into_S3_and_DynamoDB_and_a_second_run_skips_everything()
    {
        await using var aws = await AwsModeServices.StartAsync(s3rver, dynamoDb, _faces, Ct);
        _folder.Add("Ann_Smith", "1.jpg", FakeFaceImages.Of("red"));
        _folder.Add("Ann_Smith", "2.jpg", FakeFaceImages.With(new FakeFace("red", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        _folder.Add("Bo_Chen", "1.jpg", FakeFaceImages.Of("blue"));
        _folder.Add("Zoë_Ångström", "a.jpeg", FakeFaceImages.Of("green"));
        var entries = ImportSource.FromFolders(_folder.Root);

        var first = await Importer(aws).ImportAsync(entries, parallelism: 2, progress: null, Ct);
        var second = await Importer(aws).ImportAsync(entries, parallelism: 2, progress: null, Ct);

        Assert.Equal(4, first.Count(ImportOutcome.Imported));
        Assert.Equal(4, second.Count(ImportOutcome.AlreadyImported));
        Assert.Equal(3, await aws.Get<IFaceDirectory>().CountPeopleAsync(Ct));
        Assert.Equal(4, _faces.FaceIds().Length);
        var annId = ImportIds.PersonId(ImportIds.FolderKey("Ann_Smith"));
        var ann = await aws.Get<IFaceDirectory>().GetPersonAsync(annId, Ct);
        Assert.Equal("Ann Smith", ann?.FullName);
        Assert.StartsWith(RegistrationService.ImportConsentPrefix, ann?.ConsentVersion, StringComparison.Ordinal);
        Assert.Equal(2, (await aws.Get<IFaceDirectory>().GetFacesAsync(annId, Ct)).Count);

        // The objects carry the seed's metadata, readable by the S3 function, and the mark that makes it leave them to import.
        var zoeKey = ImportIds.KeyFor(ImportIds.FolderKey("Zoë_Ångström"), await File.ReadAllBytesAsync(Path.Combine(_folder.Root, "Zoë_Ångström", "a.jpeg"), Ct));
        var head = await aws.S3.GetObjectMetadataAsync(aws.Bucket, "faces/" + zoeKey.Value, Ct);
        Assert.Equal("Zoë Ångström", S3MetadataText.Decode(head.Metadata["fullname"]));
        Assert.Equal("image/jpeg", head.Headers.ContentType);
        Assert.Equal(S3FaceImageStore.WrittenByFaceLogin, head.Metadata[S3FaceImageStore.SourceMetadata]);
    }

    [Fact]
    public async Task Bad_photos_and_duplicates_are_reported_and_leave_nothing_behind()
    {
        await using var aws = await AwsModeServices.StartAsync(s3rver, dynamoDb, _faces, Ct);
        _folder.Add("Ann_Smith", "good.jpg", FakeFaceImages.Of("red"));
        _folder.Add("Ann_Twin", "same-face.jpg", FakeFaceImages.With(new FakeFace("red", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        _folder.Add("Gray_Wall", "no-face.jpg", FakeFaceImages.WithoutFace());
        _folder.Add("Text_File", "notes.jpg", Encoding.UTF8.GetBytes("not a photo"));

        var summary = await Importer(aws).ImportAsync(ImportSource.FromFolders(_folder.Root), parallelism: 1, progress: null, Ct);

        var byFile = summary.Items.ToDictionary(i => i.Entry.RelativePath.Replace('\\', '/'));
        Assert.Equal(ImportOutcome.Imported, byFile["Ann_Smith/good.jpg"].Outcome);
        Assert.Equal(ImportOutcome.Duplicate, byFile["Ann_Twin/same-face.jpg"].Outcome);
        Assert.Equal(ImportOutcome.Rejected, byFile["Gray_Wall/no-face.jpg"].Outcome);
        Assert.StartsWith("NoFace", byFile["Gray_Wall/no-face.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(ImportOutcome.Rejected, byFile["Text_File/notes.jpg"].Outcome);
        Assert.StartsWith("BadImage", byFile["Text_File/notes.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(1, await aws.Get<IFaceDirectory>().CountPeopleAsync(Ct));
        // Refused uploads are removed from the bucket again: only Ann's photo is stored.
        var objects = await aws.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = aws.Bucket }, Ct);
        Assert.Single(objects.S3Objects);
    }

    /// <summary>
    /// Review-4 S1, the reviewer's probe: a photo whose registration failed is not left in S3 by import, and deleting the
    /// person removes every object under their id, including one nothing records (an import stopped between upload and
    /// registration, a function upload whose retries ran out).
    /// </summary>
    [Fact]
    public async Task A_failed_import_leaves_no_photo_and_deleting_the_person_empties_their_prefix()
    {
        var directoryFaults = new FaultPlan();
        await using var aws = await AwsModeServices.StartAsync(s3rver, dynamoDb, _faces, Ct, configure: services =>
            services.AddSingleton<IFaceDirectory>(sp => FaultInjectingProxy<IFaceDirectory>.Wrap(sp.GetRequiredService<DynamoDbFaceDirectory>(), directoryFaults)));
        _folder.Add("Ann_Smith", "1.jpg", FakeFaceImages.Of("red"));
        _folder.Add("Bo_Chen", "1.jpg", FakeFaceImages.Of("blue"));
        Assert.Equal(2, (await Importer(aws).ImportAsync(ImportSource.FromFolders(_folder.Root), 1, null, Ct)).Count(ImportOutcome.Imported));
        var ann = ImportIds.PersonId(ImportIds.FolderKey("Ann_Smith"));
        var bo = ImportIds.PersonId(ImportIds.FolderKey("Bo_Chen"));

        _folder.Add("Ann_Smith", "2.jpg", FakeFaceImages.With(new FakeFace("red", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        directoryFaults.FailBefore(nameof(IFaceDirectory.AddFaceAsync));
        var failed = await Importer(aws).ImportAsync(ImportSource.FromFolders(_folder.Root), 1, null, Ct);
        directoryFaults.Clear();

        Assert.Equal(1, failed.Count(ImportOutcome.Failed));
        Assert.Single(await ObjectsOfAsync(aws, ann));

        // An upload nothing registered (the import was stopped, or the function's retries ran out).
        var orphan = FaceImageKey.New(ann);
        await aws.Get<IFaceImageStore>().PutAsync(orphan, FakeFaceImages.Of("red"), new FaceImageMetadata("Ann Smith", ann, "image/jpeg"), Ct);

        Assert.True(await aws.Get<AdministrationService>().DeletePersonAsync(ann, Ct));

        Assert.Empty(await ObjectsOfAsync(aws, ann));
        Assert.Single(await ObjectsOfAsync(aws, bo));
        Assert.Single(_faces.FaceIds());
    }

    private static async Task<List<string>> ObjectsOfAsync(AwsModeServices aws, Guid personId) =>
        ((await aws.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = aws.Bucket, Prefix = $"faces/{personId:N}/" }, Ct)).S3Objects ?? [])
            .Select(o => o.Key).ToList();

    public void Dispose() => _folder.Dispose();
}
