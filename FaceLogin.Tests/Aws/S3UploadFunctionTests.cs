using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The S3-upload function end to end: objects put into s3rver with <c>fullname</c> metadata, an S3 event built as S3
/// sends it, registration through the domain service into DynamoDB Local. The face collection is the
/// <see cref="FakeFaceCollection"/> double, so every edge can be set up exactly; the same path with the real local
/// engine on lfw-dev photos is <see cref="S3UploadFunctionLocalEngineTests"/>.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class S3UploadFunctionTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb)
{
    // A prefix with a space, so the test also covers S3's '+' encoding of keys in events.
    private const string Prefix = "face uploads/";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeFaceCollection _faces = new();
    private readonly RecordingLogs _logs = new();

    private Task<AwsModeServices> StartAsync(IDictionary<string, string?>? settings = null) =>
        AwsModeServices.StartAsync(s3rver, dynamoDb, _faces, Ct, Prefix, settings,
            configure: services => services.AddSingleton(_logs.For<S3UploadFunction>()));

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

    [Theory]
    [MemberData(nameof(NameDoorCases.All), MemberType = typeof(NameDoorCases))]
    public async Task A_name_in_the_metadata_is_stored_or_refused_as_at_every_other_door(string typed, string? stored, string? refusal)
    {
        await using var aws = await StartAsync();
        var key = FaceImageKey.New(Guid.NewGuid());
        var objectKey = await UploadAsync(aws, key, FakeFaceImages.Of("red"), typed);

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket, ("ObjectCreated:Put", objectKey)));

        var person = await aws.Get<IFaceDirectory>().GetPersonAsync(key.PersonId, Ct);
        Assert.Equal(stored, person?.FullName);
        // The function reports statuses, not messages; the message is the domain's, the same as the other doors show.
        Assert.Equal(refusal is null ? nameof(RegistrationStatus.Registered) : nameof(RegistrationStatus.InvalidName), summary.Results.Single().Status);
        if (refusal is not null)
        {
            Assert.False(PersonName.TryNormalize(typed, out _, out var problem));
            Assert.Equal(refusal, problem);
        }
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
        const string outsidePrefix = "other/Gus Hale.jpg";
        // The seed's own key style (a name), and a %0A that would forge a log line if echoed.
        const string notAKey = Prefix + "Ivy Jones.jpg";
        const string forgedLine = Prefix + "Kim Lee.jpg\nS3 upload FORGED: Registered";
        var upperCaseKey = Prefix + good.Value.ToUpperInvariant().Replace(".JPG", ".jpg", StringComparison.Ordinal);

        var (summary, json) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket,
            ("ObjectCreated:Put", notAnImageKey),
            ("ObjectCreated:Put", noFaceKey),
            ("ObjectCreated:Put", outsidePrefix),
            ("ObjectCreated:Put", notAKey),
            ("ObjectCreated:Put", forgedLine),
            ("ObjectCreated:Put", upperCaseKey),
            ("ObjectRemoved:Delete", goodKey),
            ("ObjectCreated:Put", goodKey)));

        Assert.Equal((8, 1, 5, 2, 0), (summary.Records, summary.Registered, summary.Rejected, summary.Ignored, summary.Failed));
        var byKey = summary.Results.GroupBy(r => r.Key).ToDictionary(g => g.Key!, g => g.Select(r => r.Status).ToList());
        Assert.Equal([nameof(RegistrationStatus.BadImage)], byKey[notAnImageKey]);
        Assert.Equal([nameof(RegistrationStatus.NoFace)], byKey[noFaceKey]);
        // Keys without FaceLogin's shape are reported as a hash and a length only.
        Assert.Equal(["Ignored"], byKey[S3UploadKeys.Redact(outsidePrefix)]);
        Assert.Equal(["InvalidKey"], byKey[S3UploadKeys.Redact(notAKey)]);
        Assert.Equal(["InvalidKey"], byKey[S3UploadKeys.Redact(forgedLine)]);
        Assert.Equal(["InvalidKey"], byKey[S3UploadKeys.Redact(upperCaseKey)]);
        Assert.Matches("^sha256:[0-9a-f]{12} \\(\\d+ chars\\)$", S3UploadKeys.Redact(forgedLine));
        Assert.Equal(["Ignored", nameof(RegistrationStatus.Registered)], byKey[goodKey]);

        // Review S5: no name, from metadata or from a key, in the summary or in the logs at Information; no forged line.
        foreach (var name in new[] { "Dan Brown", "Eve Adams", "Fay Grey", "Gus Hale", "Ivy Jones", "Kim Lee", "FORGED" })
        {
            Assert.DoesNotContain(name, json, StringComparison.Ordinal);
            _logs.AssertNeverLogged(name, LogLevel.Information);
        }

        Assert.NotEmpty(_logs.Lines);
        Assert.All(_logs.Lines, line => Assert.DoesNotContain('\n', line.Text));
        Assert.Equal(8, _logs.Lines.Count(l => l.Text.StartsWith("S3 upload ", StringComparison.Ordinal)));

        // Nothing half-stored: the refused people are nowhere, the good one is complete.
        var directory = aws.Get<IFaceDirectory>();
        Assert.Null(await directory.GetPersonAsync(notAnImage.PersonId, Ct));
        Assert.Null(await directory.GetPersonAsync(noFace.PersonId, Ct));
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));
        Assert.Single(_faces.FaceIds());
    }

    [Fact]
    public void Control_characters_in_a_shown_value_are_escaped()
    {
        Assert.Equal("a\\u000ab\\u2028c", S3UploadKeys.Escape("a\nb\u2028c"));
        Assert.Equal("faces/x", S3UploadKeys.Escape("faces/x"));
    }

    /// <summary>Review S3: the event's size alone refuses an object larger than the upload door accepts; S3 is not even asked.</summary>
    [Fact]
    public async Task An_object_larger_than_the_limit_is_refused_from_the_event_before_any_call()
    {
        await using var aws = await StartAsync(new Dictionary<string, string?> { ["FaceLogin:ImageBudgets:Upload:MaxBytes"] = "10000" });
        // Nothing is uploaded: if the function asked S3 or the directory, it would answer ImageNotFound.
        var key = Prefix + FaceImageKey.New(Guid.NewGuid()).Value;

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), S3UploadEvents.Event(aws.Bucket, [("ObjectCreated:Put", key, 10_001L)]));

        var result = Assert.Single(summary.Results);
        Assert.Equal((nameof(RegistrationStatus.BadImage), nameof(ImageProblem.TooLarge)), (result.Status, result.Problem));
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(0, _faces.DetectCount + _faces.SearchCount);
    }

    /// <summary>An event that under-reports the size (or an object replaced since) is caught by the bounded read, and discarded.</summary>
    [Fact]
    public async Task An_object_larger_than_the_limit_is_refused_when_read_even_if_the_event_said_otherwise()
    {
        await using var aws = await StartAsync(new Dictionary<string, string?> { ["FaceLogin:ImageBudgets:Upload:MaxBytes"] = "10000" });
        var key = FaceImageKey.New(Guid.NewGuid());
        var objectKey = await UploadAsync(aws, key, [.. FakeFaceImages.Of("red"), .. new byte[10_000]], "Ann Smith");

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), S3UploadEvents.Event(aws.Bucket, [("ObjectCreated:Put", objectKey, 100L)]));

        var result = Assert.Single(summary.Results);
        Assert.Equal((nameof(RegistrationStatus.BadImage), nameof(ImageProblem.TooLarge)), (result.Status, result.Problem));
        Assert.Empty(_faces.FaceIds());
        Assert.Null(await aws.Get<IFaceDirectory>().GetPersonAsync(key.PersonId, Ct));
        Assert.Null(await aws.Get<IFaceImageStore>().GetAsync(key, Ct));
    }

    /// <summary>
    /// Review S6.2: a sign-up photo lands under the watched prefix too. The function must leave it to the sign-up: handling
    /// it before the web's directory write would create the person with import consent and make the sign-up fail.
    /// </summary>
    [Fact]
    public async Task Photos_written_by_a_sign_up_are_left_to_the_sign_up()
    {
        await using var aws = await StartAsync();
        var store = aws.Get<S3FaceImageStore>();
        // The moment of the race: the web has stored the photo, and the event arrives before its directory write.
        var inFlight = FaceImageKey.New(Guid.NewGuid());
        await store.PutAsync(inFlight, FakeFaceImages.Of("red"), new FaceImageMetadata("Ann Smith", inFlight.PersonId, "image/jpeg"), Ct);
        // And a sign-up that finished.
        var signedUp = await aws.Get<RegistrationService>().RegisterAsync(new RegistrationRequest("Bo Chen", true, FakeFaceImages.Of("blue")), Ct);
        Assert.Equal(RegistrationStatus.Registered, signedUp.Status);
        var signedUpKey = signedUp.Face!.ImageKey;

        var (summary, _) = await RunAsync(aws.Get<S3UploadFunction>(), Event(aws.Bucket,
            ("ObjectCreated:Put", store.ObjectKey(inFlight)), ("ObjectCreated:Put", store.ObjectKey(signedUpKey))));

        Assert.All(summary.Results, r => Assert.Equal(("Ignored", "written by FaceLogin, which registers it"), (r.Status, r.Problem)));
        Assert.Null(await aws.Get<IFaceDirectory>().GetPersonAsync(inFlight.PersonId, Ct));
        Assert.Equal(1, await aws.Get<IFaceDirectory>().CountPeopleAsync(Ct));
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
