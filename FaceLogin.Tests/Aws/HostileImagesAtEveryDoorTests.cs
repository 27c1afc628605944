using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli.Import;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// Issue 9, "one policy at every door": the same hostile set (<see cref="HostileImages"/>, from real lfw-dev photos of a
/// person who is registered already) through sign-up, sign-in, import and the S3-upload function, all in one app wired as in
/// production (the real local engine; images in s3rver, the directory in DynamoDB Local), and every door must put each image
/// in the same category: bad image, no face, several people, poor quality with the same words, or "this face is known"
/// (already registered / signed in as them). Before the one admission policy, the photo turned 180° registered a second
/// account at sign-up, import and the function, and the very dark photo was searched at sign-in.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class HostileImagesAtEveryDoorTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private const string Known = "known face (already registered, or signed in as them)";
    private const string Registered = "REGISTERED A NEW PERSON";

    private readonly ImportFolder _data = new();
    private readonly ImportFolder _imports = new();

    [Fact]
    public async Task Every_door_gives_each_hostile_image_the_same_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var (settings, bucket) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, Path.Combine(_data.Root, "data"), ct);
        using var host = LfwImportRun.BuildDomain(settings);
        await host.StartAsync(ct);
        var services = host.Services;
        await services.GetRequiredService<AwsProvisioner>().ProvisionAsync(ct);

        var people = LfwImportRun.PeopleWithTwoPhotos(2);
        var person = people[0];
        var registration = services.GetRequiredService<RegistrationService>();
        var first = await registration.RegisterAsync(new RegistrationRequest(person.FullName, true, await File.ReadAllBytesAsync(person.FirstPhotoPath, ct)), ct);
        Assert.Equal(RegistrationStatus.Registered, first.Status);

        var images = HostileImages.From(person.SecondPhoto, await File.ReadAllBytesAsync(people[1].FirstPhotoPath, ct));
        var doors = new (string Door, Func<byte[], int, Task<string>> Answer)[]
        {
            ("sign-in", (bytes, i) => SignInAsync(services, bytes, i, ct)),
            ("sign-up", (bytes, _) => SignUpAsync(registration, bytes, ct)),
            ("import", (bytes, i) => ImportAsync(services, bytes, i, ct)),
            ("S3-upload function", (bytes, _) => UploadAsync(services, bucket, bytes, ct)),
        };

        var answers = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            var (name, bytes) = images[i];
            var perDoor = new string[doors.Length];
            for (var d = 0; d < doors.Length; d++)
            {
                perDoor[d] = await doors[d].Answer(bytes, i);
            }

            answers[name] = perDoor;
        }

        var table = string.Join("\n", answers.Select(a => $"{a.Key}:\n  " + string.Join("\n  ", a.Value.Select((v, d) => $"{doors[d].Door}: {v}"))));
        Assert.True(answers.Values.All(v => v.Distinct(StringComparer.Ordinal).Count() == 1), "The doors disagree:\n" + table);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["the photo itself"] = Known,
            ["rotated 180°"] = PoorQuality(UnindexedReason.RotatedFace),
            ["rotated 90°"] = PoorQuality(UnindexedReason.RotatedFace),
            ["very dark"] = PoorQuality(UnindexedReason.LowBrightness),
            ["tiny face"] = PoorQuality(UnindexedReason.SmallBoundingBox),
            ["blurred"] = PoorQuality(UnindexedReason.LowSharpness),
            ["two people side by side"] = "several people",
            ["no face (a flat grey picture)"] = "no face",
            ["not an image"] = "bad image",
            ["a truncated JPEG"] = "bad image",
        };
        // A poor-quality answer names at least the expected reason (a turned face may, say, read blurred too).
        var wrong = expected.Where(e => !(answers[e.Key][0] == e.Value || e.Value.StartsWith("poor quality: ", StringComparison.Ordinal)
            && answers[e.Key][0].StartsWith("poor quality: ", StringComparison.Ordinal) && answers[e.Key][0].Contains(e.Value["poor quality: ".Length..], StringComparison.Ordinal)));
        Assert.True(!wrong.Any(), "Unexpected answers (expected → got):\n" + string.Join("\n", wrong.Select(e => $"{e.Key}: {e.Value} → {answers[e.Key][0]}")));

        // Nobody new: the registered person is still the only one, with their one face.
        var directory = services.GetRequiredService<IFaceDirectory>();
        Assert.Equal(1, (await directory.ListPeopleAsync(new PeopleQuery(0, 50, null), ct)).TotalCount);
        Assert.Single((await services.GetRequiredService<IFaceCollection>().ListFacesAsync(null, 100, ct)).Faces);
        await host.StopAsync(ct);
    }

    private static string PoorQuality(UnindexedReason reason) => "poor quality: " + FaceFeedback.ForReason(reason);

    private static string PoorQuality(IReadOnlyList<UnindexedReason>? reasons) => "poor quality: " + FaceFeedback.ForQuality(reasons ?? []);

    private static async Task<string> SignInAsync(IServiceProvider services, byte[] image, int index, CancellationToken ct)
    {
        // An address per image: this test is about what each door answers, not about lock-out.
        var result = await services.GetRequiredService<AuthenticationService>().AuthenticateAsync(new AuthenticationRequest(image, $"192.0.2.{index + 1}"), ct);
        return result.Outcome switch
        {
            LoginOutcome.SignedIn => Known,
            LoginOutcome.BadImage => "bad image",
            LoginOutcome.NoFace => "no face",
            LoginOutcome.MultipleFaces => "several people",
            LoginOutcome.PoorQuality => "poor quality: " + result.Message,
            _ => $"{result.Outcome}: {result.Message}",
        };
    }

    private static async Task<string> SignUpAsync(RegistrationService registration, byte[] image, CancellationToken ct) =>
        Category(await registration.RegisterAsync(new RegistrationRequest("Hostile Sign Up", true, image), ct));

    private static string Category(RegistrationResult result) => result.Status switch
    {
        RegistrationStatus.AlreadyRegistered => Known,
        RegistrationStatus.Registered => Registered,
        RegistrationStatus.BadImage => "bad image",
        RegistrationStatus.NoFace => "no face",
        RegistrationStatus.MultipleFaces => "several people",
        RegistrationStatus.PoorQuality => PoorQuality(result.Reasons),
        _ => $"{result.Status}: {result.Message}",
    };

    private async Task<string> ImportAsync(IServiceProvider services, byte[] image, int index, CancellationToken ct)
    {
        var folder = $"Hostile_Import_{index}";
        _imports.Add(folder, "photo.jpg", image);
        var entries = ImportSource.FromFolders(_imports.Root).Where(e => e.RelativePath.StartsWith(folder + "/", StringComparison.Ordinal)).ToList();
        var summary = await ActivatorUtilities.CreateInstance<FaceImporter>(services).ImportAsync(entries, parallelism: 1, progress: null, ct);
        var item = Assert.Single(summary.Items);
        return item.Outcome switch
        {
            ImportOutcome.Duplicate => Known,
            ImportOutcome.Imported => Registered,
            // The import reports "Status (detail): message", the message in the words every door uses.
            ImportOutcome.Rejected when item.Reason!.StartsWith("BadImage", StringComparison.Ordinal) => "bad image",
            ImportOutcome.Rejected when item.Reason!.StartsWith("NoFace", StringComparison.Ordinal) => "no face",
            ImportOutcome.Rejected when item.Reason!.StartsWith("MultipleFaces", StringComparison.Ordinal) => "several people",
            ImportOutcome.Rejected when item.Reason!.StartsWith("PoorQuality", StringComparison.Ordinal) => "poor quality: " + item.Reason[(item.Reason.IndexOf("): ", StringComparison.Ordinal) + 3)..],
            _ => $"{item.Outcome}: {item.Reason}",
        };
    }

    private static async Task<string> UploadAsync(IServiceProvider services, string bucket, byte[] image, CancellationToken ct)
    {
        var key = await S3UploadEvents.UploadAsSeedAsync(
            services.GetRequiredService<Amazon.S3.IAmazonS3>(), bucket, "faces/" + FaceImageKey.New(Guid.NewGuid()).Value, image, "Hostile Upload", ct);
        var (summary, json) = await S3UploadEvents.RunAsync(services.GetRequiredService<S3UploadFunction>(), S3UploadEvents.Event(bucket, ("ObjectCreated:Put", key)), ct);
        var record = Assert.Single(summary.Results);
        return Enum.TryParse<RegistrationStatus>(record.Status, out var status)
            ? Category(new RegistrationResult(status, json, Reasons: record.Reasons?.Select(Enum.Parse<UnindexedReason>).ToList()))
            : json;
    }

    public void Dispose()
    {
        _imports.Dispose();
        _data.Dispose();
    }
}
