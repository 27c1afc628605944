using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The S3-upload function end to end: objects put into s3rver with <c>fullname</c> metadata, an S3 event built as S3
/// sends it, registration through the domain service into DynamoDB Local. The face collection is
/// <see cref="FakeFaceCollection"/> until the local engine is merged into this branch.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class S3UploadFunctionTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb)
{
    // A prefix with a space, so the test also covers S3's '+' encoding of keys in events.
    private const string Prefix = "face uploads/";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeFaceCollection _faces = new();

    private Task<AwsModeServices> StartAsync() => AwsModeServices.StartAsync(s3rver, dynamoDb, _faces, Ct, Prefix);

    private static Task<string> UploadAsync(AwsModeServices aws, FaceImageKey key, byte[] image, string fullName) =>
        S3UploadEvents.UploadAsSeedAsync(aws.S3, aws.Bucket, Prefix + key.Value, image, fullName, Ct);

    private static MemoryStream Event(string bucket, params (string EventName, string Key)[] records) => S3UploadEvents.Event(bucket, records);

    private static Task<(S3UploadSummary Summary, string Json)> RunAsync(S3UploadFunction function, Stream input) =>
        S3UploadEvents.RunAsync(function, input, Ct);

    [Fact]
    public async Task Uploaded_photos_are_registered_with_the_names_in_their_metadata()
    {
        await using var aws = await StartAsync();
        var ann = FaceImageKey.New(Guid.NewGuid());
        var zoe = FaceImageKey.New(Guid.NewGuid());
        var annKey = await UploadAsync(aws, ann, FakeFaceImages.Of("red"), "Ann Smith");
        var zoeKey = await UploadAsync(aws, zoe, FakeFaceImages.Of("blue"), "Zoë Ångström");

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket, ("ObjectCreated:Put", annKey), ("ObjectCreated:CompleteMultipartUpload", zoeKey)));

        Assert.Equal((2, 2, 0, 0), (summary.Records, summary.Registered, summary.Rejected, summary.Failed));
        Assert.Equal([annKey, zoeKey], summary.Results.Select(r => r.Key));
        var directory = aws.Get<IFaceDirectory>();
        Assert.Equal("Ann Smith", (await directory.GetPersonAsync(ann.PersonId, Ct))?.FullName);
        Assert.Equal("Zoë Ångström", (await directory.GetPersonAsync(zoe.PersonId, Ct))?.FullName);
        var annFace = await directory.FindFaceByImageKeyAsync(ann, Ct);
        Assert.NotNull(annFace);
        Assert.Equal(ann.PersonId, annFace.PersonId);
        Assert.Equal(2, _faces.FaceIds().Length);
        Assert.Equal(ann.PersonId.ToString("N"), (await _faces.ListFacesAsync(null, 10, Ct)).Faces.Single(f => f.FaceId == annFace.FaceId).ExternalImageId.Replace("-", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replaying_an_event_changes_nothing()
    {
        await using var aws = await StartAsync();
        var key = FaceImageKey.New(Guid.NewGuid());
        var objectKey = await UploadAsync(aws, key, FakeFaceImages.Of("green"), "Bo Chen");
        var function = aws.Get<S3UploadFunction>();
        await RunAsync(function, Event(aws.Bucket, ("ObjectCreated:Put", objectKey)));
        var face = await aws.Get<IFaceDirectory>().FindFaceByImageKeyAsync(key, Ct);

        var (again, _) = await RunAsync(function, Event(aws.Bucket, ("ObjectCreated:Put", objectKey), ("ObjectCreated:Put", objectKey)));

        Assert.Equal((2, 0, 2), (again.Records, again.Registered, again.AlreadyImported));
        Assert.Single(_faces.FaceIds());
        Assert.Equal(1, await aws.Get<IFaceDirectory>().CountPeopleAsync(Ct));
        Assert.Equal(face, await aws.Get<IFaceDirectory>().FindFaceByImageKeyAsync(key, Ct));
    }

    [Fact]
    public async Task A_second_photo_of_a_person_is_added_to_them()
    {
        await using var aws = await StartAsync();
        var person = Guid.NewGuid();
        var first = FaceImageKey.New(person);
        var second = FaceImageKey.New(person);
        var firstKey = await UploadAsync(aws, first, FakeFaceImages.Of("orange"), "Cy Dee");
        var secondKey = await UploadAsync(aws, second, FakeFaceImages.With(new FakeFace("orange", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))), "Cy Dee");

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket, ("ObjectCreated:Put", firstKey), ("ObjectCreated:Put", secondKey)));

        Assert.Equal(2, summary.Registered);
        Assert.Equal(2, (await aws.Get<IFaceDirectory>().GetFacesAsync(person, Ct)).Count);
        Assert.Equal(1, await aws.Get<IFaceDirectory>().CountPeopleAsync(Ct));
    }

    [Fact]
    public async Task Bad_objects_are_reported_without_names_and_skipped()
    {
        await using var aws = await StartAsync();
        var good = FaceImageKey.New(Guid.NewGuid());
        var notAnImage = FaceImageKey.New(Guid.NewGuid());
        var noFace = FaceImageKey.New(Guid.NewGuid());
        var goodKey = await UploadAsync(aws, good, FakeFaceImages.Of("purple"), "Dan Brown");
        var notAnImageKey = await UploadAsync(aws, notAnImage, Encoding.UTF8.GetBytes("this is not a photo"), "Eve Adams");
        var noFaceKey = await UploadAsync(aws, noFace, FakeFaceImages.WithoutFace(), "Fay Grey");
        const string outsidePrefix = "other/0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef.jpg";
        const string notAKey = Prefix + "holiday photo.jpg";
        var upperCaseKey = Prefix + good.Value.ToUpperInvariant().Replace(".JPG", ".jpg", StringComparison.Ordinal);

        var (summary, json) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket,
            ("ObjectCreated:Put", notAnImageKey),
            ("ObjectCreated:Put", noFaceKey),
            ("ObjectCreated:Put", outsidePrefix),
            ("ObjectCreated:Put", notAKey),
            ("ObjectCreated:Put", upperCaseKey),
            ("ObjectRemoved:Delete", goodKey),
            ("ObjectCreated:Put", goodKey)));

        Assert.Equal((7, 1, 4, 2, 0), (summary.Records, summary.Registered, summary.Rejected, summary.Ignored, summary.Failed));
        var byKey = summary.Results.GroupBy(r => r.Key).ToDictionary(g => g.Key!, g => g.Select(r => r.Status).ToList());
        Assert.Equal([nameof(RegistrationStatus.BadImage)], byKey[notAnImageKey]);
        Assert.Equal([nameof(RegistrationStatus.NoFace)], byKey[noFaceKey]);
        Assert.Equal(["Ignored"], byKey[outsidePrefix]);
        Assert.Equal(["InvalidKey"], byKey[notAKey]);
        Assert.Equal(["InvalidKey"], byKey[upperCaseKey]);
        Assert.Equal(["Ignored", nameof(RegistrationStatus.Registered)], byKey[goodKey]);
        Assert.DoesNotContain("Eve", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Fay", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Dan", json, StringComparison.Ordinal);

        // Nothing half-stored: the refused people are nowhere, the good one is complete.
        var directory = aws.Get<IFaceDirectory>();
        Assert.Null(await directory.GetPersonAsync(notAnImage.PersonId, Ct));
        Assert.Null(await directory.GetPersonAsync(noFace.PersonId, Ct));
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));
        Assert.Single(_faces.FaceIds());
    }

    [Fact]
    public async Task A_storage_failure_is_reported_and_thrown_so_Lambda_retries_the_event()
    {
        await using var aws = await StartAsync();
        var key = FaceImageKey.New(Guid.NewGuid());
        var objectKey = await UploadAsync(aws, key, FakeFaceImages.Of("red"), "Ann Smith");
        var facesTable = aws.Configuration["FaceLogin:Aws:FacesTable"]!;
        await aws.DynamoDb.DeleteTableAsync(facesTable, Ct);

        var error = await Assert.ThrowsAsync<S3UploadRetryException>(() => aws.Get<S3UploadFunction>().HandleAsync(Event(aws.Bucket, ("ObjectCreated:Put", objectKey)), Ct));

        Assert.Equal(1, error.Summary.Failed);
        Assert.Equal(nameof(RegistrationStatus.Failed), Assert.Single(error.Summary.Results).Status);
        // Undone: no face left in the collection; the upload stays so the retry can finish the job.
        Assert.Empty(_faces.FaceIds());
        Assert.NotNull(await aws.Get<IFaceImageStore>().GetAsync(key, Ct));
    }

    [Fact]
    public async Task Records_for_another_bucket_are_ignored()
    {
        await using var aws = await StartAsync();
        var key = FaceImageKey.New(Guid.NewGuid());
        var objectKey = await UploadAsync(aws, key, FakeFaceImages.Of("red"), "Ann Smith");

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), Event("some-other-bucket", ("ObjectCreated:Put", objectKey)));

        Assert.Equal((1, 1, 0), (summary.Records, summary.Ignored, summary.Registered));
        Assert.Empty(_faces.FaceIds());
    }

    [Fact]
    public async Task Input_that_is_not_an_event_is_refused()
    {
        await using var aws = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => aws.Get<S3UploadFunction>().HandleAsync(new MemoryStream("not json"u8.ToArray()), Ct));
    }
}
