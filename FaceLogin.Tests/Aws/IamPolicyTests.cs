using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Domain.Reindexing;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using SkiaSharp;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The policy documents in deploy/ are valid IAM JSON with documented placeholders, and each grants exactly what its
/// holder's code calls (review S12): the app's, the function's and provision's flows run against s3rver and DynamoDB
/// Local with every SDK request recorded, and each request is turned into the IAM action and resource it needs. A call
/// the policy lacks fails the test, and so does a grant no call needs. Rekognition calls are recorded at the port (with the
/// collection each one is for: the configured one, or a re-index's generation after a switch) and turned into operations by
/// running the Rekognition adapter itself against an HTTP fake; the <c>reindex</c> flow runs the Rekognition adapter against
/// the <see cref="RekognitionEmulator"/>, whose recorded requests are the operations and collections themselves.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed partial class IamPolicyTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private const string Prefix = "faces/";
    private const string KmsKey = "${KmsKeyArn}";
    private const string Collection = "arn:${Partition}:rekognition:${Region}:${Account}:collection/${CollectionId}";

    /// <summary>The collection the test servers' settings configure (<c>FaceLogin:Aws:CollectionId</c>'s default).</summary>
    private const string ConfiguredCollection = "facelogin";

    /// <summary>The collection of generation 1, which a <c>reindex</c> switch makes the served one.</summary>
    private const string NextGeneration = ConfiguredCollection + "-g1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly AwsCallRecorder _recorder = new();
    private readonly FaultPlan _collectionCalls = new();
    private readonly FaultPlan _nextGenerationCalls = new();
    private readonly FaultPlan _generationCalls = new();

    /// <summary>The collections other than the served one (kept after a switch), which a person's deletion also reaches.</summary>
    private readonly IFaceCollectionFactory _otherCollections = Substitute.For<IFaceCollectionFactory>();
    private readonly FaultPlan _directoryCalls = new();
    private readonly ImportFolder _folder = new();

    public static TheoryData<string> Policies => new() { "iam-policy.json", "iam-policy-s3-function.json", "iam-policy-provision.json", "iam-policy-reindex.json" };

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "deploy", file))).RootElement;

    private static IEnumerable<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(e => e.GetString()!) : [element.GetString()!];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policies_are_valid_documents_of_named_allow_statements_without_wildcard_actions(string file)
    {
        var policy = Load(file);

        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        var sids = new HashSet<string>();
        foreach (var statement in policy.GetProperty("Statement").EnumerateArray())
        {
            Assert.True(sids.Add(statement.GetProperty("Sid").GetString()!), "Sids are unique");
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            Assert.All(Strings(statement.GetProperty("Action")), action => Assert.Matches("^[a-z0-9]+:[A-Za-z0-9]+$", action));
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Every_placeholder_is_explained_in_the_aws_docs(string file)
    {
        var text = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "deploy", file));
        var docs = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "aws.md"));

        var placeholders = Placeholder().Matches(text).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, p => Assert.Contains("`" + p + "`", docs, StringComparison.Ordinal));
    }

    /// <summary>The web app (sign-up, sign-in, admin, deletion, the undo paths) and <c>import</c>, which runs with the app's rights.</summary>
    [Fact]
    public async Task The_app_policy_grants_exactly_what_the_web_app_and_import_call()
    {
        await using var aws = await StartRecordedAsync();
        var registration = aws.Get<RegistrationService>();
        var authentication = aws.Get<AuthenticationService>();
        var admin = aws.Get<AdministrationService>();
        _recorder.Recording = true;

        // Start-up (with the expiry of attempts dead requests left in progress), sign-up (the first person becomes admin), sign-in
        // by a known face and by a stranger.
        await aws.Get<IFaceDirectory>().InitializeAsync(Ct);
        Assert.True((await aws.Get<IFaceDirectory>().TryStartLoginAttemptAsync(Guid.NewGuid(), "203.0.113.9", DateTimeOffset.UtcNow.AddMinutes(-5), new AddressThrottle(new AuthenticationOptions()), Ct)).IsAdmitted);
        Assert.Equal(1, await aws.Get<IFaceDirectory>().ExpireLoginAttemptsInProgressAsync(DateTimeOffset.UtcNow.AddMinutes(-2), Ct));
        var ann = await registration.RegisterAsync(new RegistrationRequest("Ann Smith", true, FakeFaceImages.Of("red")), Ct);
        var bo = await registration.RegisterAsync(new RegistrationRequest("Bo Chen", true, FakeFaceImages.Of("blue")), Ct);
        Assert.Equal((RegistrationStatus.Registered, RegistrationStatus.Registered), (ann.Status, bo.Status));
        Assert.Equal(LoginOutcome.SignedIn, (await authentication.AuthenticateAsync(new AuthenticationRequest(FakeFaceImages.Of("red"), "203.0.113.7"), Ct)).Outcome);
        Assert.Equal(LoginOutcome.NotRecognised, (await authentication.AuthenticateAsync(new AuthenticationRequest(FakeFaceImages.Of("green"), "203.0.113.8"), Ct)).Outcome);

        // The admin pages.
        await admin.ListPeopleAsync(new PeopleQuery(0, 20, null), Ct);
        await admin.ListPeopleAsync(new PeopleQuery(0, 20, "ann"), Ct);
        await admin.GetPersonAsync(ann.Person!.Id, Ct);
        Assert.NotNull(await admin.GetThumbnailAsync(ann.Person.Id, ann.Face!.FaceId, 96, Ct));
        await admin.ListLoginAttemptsAsync(new PageRequest(0, 20), Ct);
        await admin.SetAdminAsync(bo.Person!.Id, true, Ct);
        await admin.IsAdminAsync(bo.Person.Id, Ct);
        await aws.Get<IFaceDirectory>().RecordNearMatchAsync(bo.Person.Id, DateTimeOffset.UtcNow, suspendAfter: 1, Ct);
        Assert.True(await admin.EnableFaceSignInAsync(bo.Person.Id, Ct));

        // A sign-up undone: the IndexFaces answer is lost after indexing, so the image and the face found by the person's id go.
        _collectionCalls.FailAfter(nameof(IFaceCollection.IndexFaceAsync));
        Assert.Equal(RegistrationStatus.Failed, (await registration.RegisterAsync(new RegistrationRequest("Di Eve", true, FakeFaceImages.Of("purple")), Ct)).Status);
        _collectionCalls.Clear();

        // import: a new person, a second photo of them, a refused photo.
        _folder.Add("Gus_Hale", "1.jpg", FakeFaceImages.Of("grey"));
        _folder.Add("Gus_Hale", "2.jpg", FakeFaceImages.With(new FakeFace("grey", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        _folder.Add("Gus_Hale", "3.jpg", FakeFaceImages.WithoutFace());
        var imported = await ActivatorUtilities.CreateInstance<FaceImporter>(aws.Provider).ImportAsync(ImportSource.FromFolders(_folder.Root), 1, null, Ct);
        Assert.Equal((2, 1), (imported.Count(ImportOutcome.Imported), imported.Count(ImportOutcome.Rejected)));

        // Deleting a person everywhere, with the attempts that name them.
        Assert.True(await admin.DeletePersonAsync(ann.Person.Id, Ct));
        _recorder.Recording = false;

        // After a reindex switch the restarted app serves the next generation's collection; the configured one is kept until
        // reindex --delete-old, and deleting a person reaches it too.
        await using var after = await RestartedAfterSwitchAsync(aws);
        _recorder.Recording = true;
        await after.Get<IFaceDirectory>().InitializeAsync(Ct);
        var cy = await after.Get<RegistrationService>().RegisterAsync(new RegistrationRequest("Cy Dee", true, FakeFaceImages.Of("orange")), Ct);
        Assert.Equal(RegistrationStatus.Registered, cy.Status);
        Assert.Equal(LoginOutcome.SignedIn, (await after.Get<AuthenticationService>().AuthenticateAsync(new AuthenticationRequest(FakeFaceImages.Of("orange"), "203.0.113.10"), Ct)).Outcome);
        Assert.True(await after.Get<AdministrationService>().DeletePersonAsync(cy.Person!.Id, Ct));
        _recorder.Recording = false;
        await _otherCollections.Received().DeleteFacesByExternalImageIdAsync(ConfiguredCollection, cy.Person.Id.ToString("N"), Arg.Any<CancellationToken>());

        AssertGrantsExactly("iam-policy.json", await NeededAsync(aws));
    }

    /// <summary>The S3-upload function: uploads by others registered, refused, skipped, and a registration undone.</summary>
    [Fact]
    public async Task The_function_policy_grants_exactly_what_the_s3_function_calls()
    {
        await using var aws = await StartRecordedAsync();
        using var uploader = s3rver.CreateClient();
        var person = Guid.NewGuid();
        var first = FaceImageKey.New(person);
        var second = FaceImageKey.New(person);
        var notAnImage = FaceImageKey.New(Guid.NewGuid());
        var signUp = FaceImageKey.New(Guid.NewGuid());
        var undone = FaceImageKey.New(Guid.NewGuid());
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + first.Value, FakeFaceImages.Of("red"), "Ann Smith", Ct);
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + second.Value, FakeFaceImages.With(new FakeFace("red", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))), "Ann Smith", Ct);
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + notAnImage.Value, "not a photo"u8.ToArray(), "Bo Chen", Ct);
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + undone.Value, FakeFaceImages.Of("blue"), "Cy Dee", Ct);
        using (AwsCallRecorder.Pause())
        {
            await aws.Get<IFaceImageStore>().PutAsync(signUp, FakeFaceImages.Of("green"), new FaceImageMetadata("Di Eve", signUp.PersonId, "image/jpeg"), Ct);
        }

        var function = aws.Get<S3UploadFunction>();
        _recorder.Recording = true;
        var (summary, _) = await S3UploadEvents.RunAsync(function, S3UploadEvents.Event(aws.Bucket,
            ("ObjectCreated:Put", Prefix + first.Value),
            ("ObjectCreated:Put", Prefix + second.Value),
            ("ObjectCreated:Put", Prefix + notAnImage.Value),
            ("ObjectCreated:Put", Prefix + signUp.Value)), Ct);
        Assert.Equal((2, 1, 1), (summary.Registered, summary.Rejected, summary.Ignored));

        // The directory write fails after writing, while somebody signs in as the new person: the undo removes the
        // person and unlinks the attempt.
        var directory = aws.Get<DynamoDbFaceDirectory>();
        _directoryCalls.FailAfter(nameof(IFaceDirectory.AddPersonAsync)).OnCall(nameof(IFaceDirectory.DeletePersonAsync), () =>
        {
            using (AwsCallRecorder.Pause())
            {
                directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), DateTimeOffset.UtcNow, LoginOutcome.SignedIn, undone.PersonId, 99, "203.0.113.9"), Ct)
                    .GetAwaiter().GetResult();
            }
        });
        var retry = await Assert.ThrowsAsync<S3UploadRetryException>(() => function.HandleAsync(S3UploadEvents.Event(aws.Bucket, ("ObjectCreated:Put", Prefix + undone.Value)), Ct));
        Assert.Equal(1, retry.Summary.Failed);
        _directoryCalls.Clear();

        // The IndexFaces answer is lost after indexing: whatever the undo does to find the face is the function's to call.
        _collectionCalls.FailAfter(nameof(IFaceCollection.IndexFaceAsync));
        await Assert.ThrowsAsync<S3UploadRetryException>(() => function.HandleAsync(S3UploadEvents.Event(aws.Bucket, ("ObjectCreated:Put", Prefix + undone.Value)), Ct));
        _collectionCalls.Clear();
        _recorder.Recording = false;
        Assert.Null(await directory.GetPersonAsync(undone.PersonId, Ct));

        // After a reindex switch a function instance started since serves the next generation's collection: an upload
        // registered, and one whose IndexFaces answer is lost, undone.
        await using var after = await RestartedAfterSwitchAsync(aws);
        var registered = FaceImageKey.New(Guid.NewGuid());
        var lost = FaceImageKey.New(Guid.NewGuid());
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + registered.Value, FakeFaceImages.Of("orange"), "Ed Fox", Ct);
        await S3UploadEvents.UploadAsSeedAsync(uploader, aws.Bucket, Prefix + lost.Value, FakeFaceImages.Of("pink"), "Flo Gray", Ct);
        _recorder.Recording = true;
        Assert.Equal(1, (await S3UploadEvents.RunAsync(after.Get<S3UploadFunction>(), S3UploadEvents.Event(aws.Bucket, ("ObjectCreated:Put", Prefix + registered.Value)), Ct)).Summary.Registered);
        _nextGenerationCalls.FailAfter(nameof(IFaceCollection.IndexFaceAsync));
        await Assert.ThrowsAsync<S3UploadRetryException>(() => after.Get<S3UploadFunction>().HandleAsync(S3UploadEvents.Event(aws.Bucket, ("ObjectCreated:Put", Prefix + lost.Value)), Ct));
        _nextGenerationCalls.Clear();
        _recorder.Recording = false;

        // Lambda writes the function's logs to its own log group with the function's role.
        AssertGrantsExactly("iam-policy-s3-function.json",
        [
            .. await NeededAsync(aws),
            .. new[] { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" }
                .Select(a => new Grant(a, "arn:${Partition}:logs:${Region}:${Account}:log-group:/aws/lambda/${FunctionName}:*")),
        ]);
    }

    /// <summary>
    /// <c>reindex</c> with Rekognition, S3 and DynamoDB, as the command runs it (the directory initialised first): a dry run,
    /// a run finding new collections get the active model, then, once they get another, a run killed after indexing a face it
    /// did not record, the run that finishes it (deleting that face) and switches, and <c>--delete-old</c>. Rekognition is the
    /// emulator over the real engine, with lfw-dev people imported beforehand (unrecorded).
    /// </summary>
    [Fact]
    public async Task The_reindex_policy_grants_exactly_what_reindex_calls()
    {
        using var rekognition = new RekognitionEmulator { NewCollectionModel = "6.0" };
        await using var aws = await AwsModeServices.StartAsync(s3rver, dynamoDb, faces: null, Ct, Prefix,
            new Dictionary<string, string?> { ["FaceLogin:Faces"] = "Rekognition", ["FaceLogin:Aws:Region"] = "us-east-1" },
            configure: services =>
            {
                RecordSdkCalls(services);
                services.AddSingleton(rekognition.Client);
                services.AddSingleton<ICollectionGenerations>(sp => FaultInjectingProxy<ICollectionGenerations>.Wrap(sp.GetRequiredService<DynamoDbFaceDirectory>(), _generationCalls));
            });
        await aws.Get<IFaceCollection>().EnsureCollectionAsync(Ct);
        var people = await LfwImportRun.ImportFirstPhotosAsync(aws.Provider, _folder, LfwImportRun.PeopleWithTwoPhotos(3), Ct);
        var reindexer = ActivatorUtilities.CreateInstance<CollectionReindexer>(aws.Provider);
        var unrecorded = rekognition.Requests.Count;
        _recorder.Recording = true;

        await aws.Get<IFaceDirectory>().InitializeAsync(Ct);
        Assert.Equal(ReindexOutcome.DryRun, (await reindexer.RunAsync(new ReindexOptions(DryRun: true), null, Ct)).Outcome);
        Assert.Equal(ReindexOutcome.UpToDate, (await reindexer.RunAsync(new ReindexOptions(), null, Ct)).Outcome);
        rekognition.NewCollectionModel = "7.0";
        _generationCalls.FailBefore(nameof(ICollectionGenerations.AddReindexedFaceAsync), onCall: 1);
        await Assert.ThrowsAsync<InjectedFaultException>(() => reindexer.RunAsync(new ReindexOptions(), null, Ct));
        _generationCalls.Clear();
        var finished = await reindexer.RunAsync(new ReindexOptions(), null, Ct);
        Assert.Equal((ReindexOutcome.Switched, 1, people.Count), (finished.Outcome, finished.OrphansRemoved, finished.Faces));
        Assert.Equal([ConfiguredCollection], (await reindexer.RunAsync(new ReindexOptions(DeleteOld: true), null, Ct)).DeletedCollections);
        _recorder.Recording = false;

        AssertGrantsExactly("iam-policy-reindex.json",
        [
            .. _recorder.Requests.SelectMany(r => Needed(r, aws)),
            .. rekognition.Calls.Skip(unrecorded).Select(c => new Grant("rekognition:" + c.Operation, c.CollectionId is null ? "*" : CollectionArn(c.CollectionId))),
        ]);
    }

    /// <summary><c>provision</c>, run twice (creating, then finding everything), with Rekognition answered at the HTTP level.</summary>
    [Fact]
    public async Task The_provision_policy_grants_exactly_what_provision_calls()
    {
        var rekognition = new RekognitionHttpFake()
            .Error("ResourceNotFoundException", "The collection id: facelogin does not exist")
            .Error("ResourceNotFoundException", "The collection id: facelogin does not exist")
            .Answer("""{"StatusCode":200,"CollectionArn":"aws:rekognition:us-east-1:123456789012:collection/facelogin","FaceModelVersion":"7.0"}""");
        for (var i = 0; i < 3; i++)
        {
            rekognition.Answer("""{"FaceCount":0,"FaceModelVersion":"7.0","CreationTimestamp":1764232215}""");
        }

        await using var aws = await StartRecordedAsync(
            new Dictionary<string, string?> { ["FaceLogin:Faces"] = "Rekognition", ["FaceLogin:Aws:RekognitionServiceUrl"] = "https://rekognition.example.test/", ["FaceLogin:Aws:Region"] = "us-east-1" },
            createResources: false,
            services =>
            {
                services.AddSingleton(RekognitionClients.Over(rekognition));
                // s3rver implements neither bucket setting, so provision would never put them: answer those as S3 does.
                services.AddSingleton<IAmazonS3>(_ => _recorder.Attach(new AmazonS3Client(S3rverFixture.Credentials, new AmazonS3Config
                {
                    ServiceURL = s3rver.ServiceUrl,
                    ForcePathStyle = true,
                    AuthenticationRegion = "us-east-1",
                    HttpClientFactory = new BucketSettingsAsOnS3(),
                })));
            });
        _recorder.Recording = true;

        await aws.Get<AwsProvisioner>().ProvisionAsync(Ct);
        await aws.Get<AwsProvisioner>().ProvisionAsync(Ct);
        _recorder.Recording = false;

        AssertGrantsExactly("iam-policy-provision.json",
        [
            .. _recorder.Requests.SelectMany(r => Needed(r, aws)),
            .. rekognition.Requests.Select(r => new Grant("rekognition:" + r.Target["RekognitionService.".Length..], Collection)),
        ]);
    }

    [Fact]
    public void Grants_match_resources_with_iam_wildcards()
    {
        Assert.True(Matches("arn:${Partition}:s3:::${Bucket}/${Prefix}*", "arn:${Partition}:s3:::${Bucket}/${Prefix}0b8e/4c1d.jpg"));
        Assert.False(Matches("arn:${Partition}:s3:::${Bucket}/${Prefix}*", "arn:${Partition}:s3:::${Bucket}"));
        Assert.False(Matches("arn:${Partition}:dynamodb:${Region}:${Account}:table/${PeopleTable}", "arn:${Partition}:dynamodb:${Region}:${Account}:table/${PeopleTable}/index/x"));
        Assert.True(Matches("*", "arn:anything"));
    }

    private sealed record Grant(string Action, string Resource);

    /// <summary>
    /// In front of s3rver: the public access block and default encryption of a bucket answer as on S3 for a bucket
    /// without them (GET: 404 with S3's error code; PUT: 200), everything else goes to s3rver.
    /// </summary>
    private sealed class BucketSettingsAsOnS3 : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler { InnerHandler = new HttpClientHandler() });

        private sealed class Handler : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var query = request.RequestUri!.Query;
                var missing = query.Contains("publicAccessBlock", StringComparison.Ordinal) ? "NoSuchPublicAccessBlockConfiguration"
                    : query.Contains("encryption", StringComparison.Ordinal) ? "ServerSideEncryptionConfigurationNotFoundError"
                    : null;
                if (missing is null)
                {
                    return base.SendAsync(request, cancellationToken);
                }

                return Task.FromResult(request.Method == HttpMethod.Get
                    ? new HttpResponseMessage(System.Net.HttpStatusCode.NotFound)
                    {
                        Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{missing}</Code><Message>none</Message><RequestId>1</RequestId></Error>", System.Text.Encoding.UTF8, "application/xml"),
                    }
                    : new HttpResponseMessage(System.Net.HttpStatusCode.OK));
            }
        }
    }

    /// <summary>
    /// AWS mode on the test servers, every SDK call recorded, the served face collection (a double: the configured collection,
    /// or <see cref="NextGeneration"/>) and the directory behind fault plans, and the other collections a substitute.
    /// </summary>
    private Task<AwsModeServices> StartRecordedAsync(
        IDictionary<string, string?>? settings = null, bool createResources = true, Action<IServiceCollection>? configure = null, string served = ConfiguredCollection) =>
        AwsModeServices.StartAsync(
            s3rver,
            dynamoDb,
            FaultInjectingProxy<IFaceCollection>.Wrap(new FakeFaceCollection(served), served == ConfiguredCollection ? _collectionCalls : _nextGenerationCalls),
            Ct,
            Prefix,
            settings,
            createResources,
            services =>
            {
                RecordSdkCalls(services);
                services.AddSingleton<IFaceDirectory>(sp => FaultInjectingProxy<IFaceDirectory>.Wrap(sp.GetRequiredService<DynamoDbFaceDirectory>(), _directoryCalls));
                services.AddSingleton(_otherCollections);
                configure?.Invoke(services);
            });

    private void RecordSdkCalls(IServiceCollection services)
    {
        services.AddSingleton<IAmazonS3>(sp => _recorder.Attach(sp.GetRequiredService<AwsClientFactory>().CreateS3()));
        services.AddSingleton<IAmazonDynamoDB>(sp => _recorder.Attach(sp.GetRequiredService<AwsClientFactory>().CreateDynamoDb()));
    }

    /// <summary>
    /// A process started on the same bucket and tables after a <c>reindex</c> switched to generation 1 (the switch made here,
    /// unrecorded, as the command makes it, keeping the configured collection): it serves <see cref="NextGeneration"/>.
    /// </summary>
    private async Task<AwsModeServices> RestartedAfterSwitchAsync(AwsModeServices before)
    {
        using (AwsCallRecorder.Pause())
        {
            var generations = before.Get<ICollectionGenerations>();
            var target = await generations.BeginReindexAsync(new ReindexTarget(1, NextGeneration, "7.0", DateTimeOffset.UtcNow), Ct);
            await generations.SwitchAsync(target, CollectionGeneration.Initial(ConfiguredCollection), ConfiguredCollection, Ct);
        }

        var sameResources = new[] { "Bucket", "PeopleTable", "FacesTable", "LoginAttemptsTable" }
            .ToDictionary(setting => $"FaceLogin:Aws:{setting}", setting => before.Configuration[$"FaceLogin:Aws:{setting}"]);
        return await StartRecordedAsync(sameResources, createResources: false, served: NextGeneration);
    }

    /// <summary>
    /// What the recorded SDK requests and face-collection calls need: those of the served collection (the configured one, or
    /// after a switch the next generation's) and of the other collections, each on its own collection.
    /// </summary>
    private async Task<List<Grant>> NeededAsync(AwsModeServices aws)
    {
        var needed = _recorder.Requests.SelectMany(r => Needed(r, aws)).ToList();
        var calls = _collectionCalls.Calls.Select(method => (Method: method, CollectionId: ConfiguredCollection))
            .Concat(_nextGenerationCalls.Calls.Select(method => (method, NextGeneration)))
            .Concat(_otherCollections.ReceivedCalls().Select(c => (c.GetMethodInfo().Name, c.GetArguments().FirstOrDefault() as string ?? ConfiguredCollection)))
            .Distinct();
        foreach (var (method, collectionId) in calls)
        {
            needed.AddRange((await RekognitionOperationsOfAsync(method)).Select(op => new Grant("rekognition:" + op, op == "DetectFaces" ? "*" : CollectionArn(collectionId))));
        }

        return needed;
    }

    /// <summary>A collection in the policies' placeholder form: <c>${CollectionId}</c>, or a generation's <c>${CollectionId}-g1</c>.</summary>
    private static string CollectionArn(string collectionId)
    {
        Assert.StartsWith(ConfiguredCollection, collectionId, StringComparison.Ordinal);
        return Collection + collectionId[ConfiguredCollection.Length..];
    }

    /// <summary>
    /// The IAM action and resource (in the policies' placeholder form) one SDK request needs. A request type not listed
    /// here fails the test: a new kind of call must be judged, and granted where it is made.
    /// </summary>
    private static IEnumerable<Grant> Needed(AmazonWebServiceRequest request, AwsModeServices aws)
    {
        var bucket = "arn:${Partition}:s3:::${Bucket}";
        string Table(string name, string? index = null)
        {
            var setting = new[] { "PeopleTable", "FacesTable", "LoginAttemptsTable" }.Single(s => aws.Configuration[$"FaceLogin:Aws:{s}"] == name);
            return $"arn:${{Partition}}:dynamodb:${{Region}}:${{Account}}:table/${{{setting}}}" + (index is null ? "" : "/index/" + index);
        }

        string Object(string bucketName, string key)
        {
            Assert.Equal(aws.Bucket, bucketName);
            Assert.StartsWith(Prefix, key, StringComparison.Ordinal);
            return $"{bucket}/${{Prefix}}{key[Prefix.Length..]}";
        }

        return request switch
        {
            GetItemRequest r => [new("dynamodb:GetItem", Table(r.TableName))],
            PutItemRequest r => [new("dynamodb:PutItem", Table(r.TableName))],
            UpdateItemRequest r => [new("dynamodb:UpdateItem", Table(r.TableName))],
            DeleteItemRequest r => [new("dynamodb:DeleteItem", Table(r.TableName))],
            QueryRequest r => [new("dynamodb:Query", Table(r.TableName, r.IndexName))],
            ScanRequest r => [new("dynamodb:Scan", Table(r.TableName, r.IndexName))],
            BatchGetItemRequest r => r.RequestItems.Keys.Select(t => new Grant("dynamodb:BatchGetItem", Table(t))),
            // IAM authorises a transaction by the actions it contains.
            TransactWriteItemsRequest r => r.TransactItems.Select(i =>
                i.Put is { } put ? new Grant("dynamodb:PutItem", Table(put.TableName))
                : i.Update is { } update ? new Grant("dynamodb:UpdateItem", Table(update.TableName))
                : i.Delete is { } delete ? new Grant("dynamodb:DeleteItem", Table(delete.TableName))
                : new Grant("dynamodb:ConditionCheckItem", Table(i.ConditionCheck.TableName))),
            TransactGetItemsRequest r => r.TransactItems.Select(i => new Grant("dynamodb:GetItem", Table(i.Get.TableName))),
            DescribeTableRequest r => [new("dynamodb:DescribeTable", Table(r.TableName))],
            CreateTableRequest r => [new("dynamodb:CreateTable", Table(r.TableName))],
            DescribeTimeToLiveRequest r => [new("dynamodb:DescribeTimeToLive", Table(r.TableName))],
            UpdateTimeToLiveRequest r => [new("dynamodb:UpdateTimeToLive", Table(r.TableName))],
            // With SSE-KMS a write needs a data key and a read its decryption (the key is only used through S3).
            PutObjectRequest r => [new("s3:PutObject", Object(r.BucketName, r.Key)), new("kms:GenerateDataKey", KmsKey)],
            // A missing key answers 404 only with s3:ListBucket on the bucket; without it, 403.
            GetObjectRequest r => [new("s3:GetObject", Object(r.BucketName, r.Key)), new("s3:ListBucket", bucket), new("kms:Decrypt", KmsKey)],
            GetObjectMetadataRequest r => [new("s3:GetObject", Object(r.BucketName, r.Key)), new("s3:ListBucket", bucket)],
            DeleteObjectRequest r => [new("s3:DeleteObject", Object(r.BucketName, r.Key))],
            // IAM authorises a multi-object delete key by key, as s3:DeleteObject on each.
            DeleteObjectsRequest r => r.Objects.Select(o => new Grant("s3:DeleteObject", Object(r.BucketName, o.Key))),
            ListObjectsV2Request => [new("s3:ListBucket", bucket)],
            HeadBucketRequest => [new("s3:ListBucket", bucket)],
            PutBucketRequest r => r.ObjectOwnership is null
                ? [new("s3:CreateBucket", bucket)]
                : [new("s3:CreateBucket", bucket), new("s3:PutBucketOwnershipControls", bucket)],
            GetPublicAccessBlockRequest => [new("s3:GetBucketPublicAccessBlock", bucket)],
            PutPublicAccessBlockRequest => [new("s3:PutBucketPublicAccessBlock", bucket)],
            GetBucketEncryptionRequest => [new("s3:GetEncryptionConfiguration", bucket)],
            PutBucketEncryptionRequest => [new("s3:PutEncryptionConfiguration", bucket)],
            GetBucketVersioningRequest => [new("s3:GetBucketVersioning", bucket)],
            _ => throw new InvalidOperationException($"No IAM mapping for {request.GetType().Name}: judge what it needs and add it here."),
        };
    }

    /// <summary>The Rekognition operations an <see cref="IFaceCollection"/> method sends, found by calling the Rekognition adapter.</summary>
    private static async Task<IReadOnlyList<string>> RekognitionOperationsOfAsync(string method)
    {
        var http = new RekognitionHttpFake();
        var collection = new RekognitionFaceCollection(RekognitionClients.Over(http), Options.Create(new AwsOptions { CollectionId = "facelogin" }));
        var jpeg = Jpeg();
        switch (method)
        {
            case "get_" + nameof(IFaceCollection.CollectionId):
                return [];
            case nameof(IFaceCollection.DetectFacesAsync):
                http.Answer("{}");
                await collection.DetectFacesAsync(jpeg, Ct);
                break;
            case nameof(IFaceCollection.IndexFaceAsync):
                http.Answer("{}");
                await collection.IndexFaceAsync(jpeg, "p", Ct);
                break;
            case nameof(IFaceCollection.SearchFacesByImageAsync):
                http.Answer("{}");
                await collection.SearchFacesByImageAsync(jpeg, 80, 5, Ct);
                break;
            case nameof(IFaceCollection.SearchFacesAsync):
                http.Answer("{}");
                await collection.SearchFacesAsync("f", 80, 5, Ct);
                break;
            case nameof(IFaceCollection.ListFacesAsync):
                http.Answer("{}");
                await collection.ListFacesAsync(null, 10, Ct);
                break;
            case nameof(IFaceCollection.DeleteFacesAsync):
                http.Answer("{}");
                await collection.DeleteFacesAsync(["f"], Ct);
                break;
            case nameof(IFaceCollection.DescribeCollectionAsync):
                http.Answer("{}");
                await collection.DescribeCollectionAsync(Ct);
                break;
            case nameof(IFaceCollection.EnsureCollectionAsync):
                http.Error("ResourceNotFoundException", "missing").Answer("{}").Answer("{}");
                await collection.EnsureCollectionAsync(Ct);
                break;
            case nameof(IFaceCollectionFactory.DeleteFacesByExternalImageIdAsync):
                http.Answer("""{"Faces":[{"FaceId":"f","ExternalImageId":"p"}]}""").Answer("""{"DeletedFaces":["f"]}""");
                await new RekognitionFaceCollections(RekognitionClients.Over(http), Options.Create(new AwsOptions())).DeleteFacesByExternalImageIdAsync("facelogin", "p", Ct);
                break;
            default:
                throw new InvalidOperationException($"No Rekognition operation known for IFaceCollection.{method}: add it here.");
        }

        return [.. http.Requests.Select(r => r.Target["RekognitionService.".Length..])];
    }

    private static byte[] Jpeg()
    {
        using var bitmap = new SKBitmap(64, 64);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>Both ways: every needed (action, resource) is granted, and every granted (action, resource) is needed.</summary>
    private static void AssertGrantsExactly(string file, IReadOnlyCollection<Grant> needed)
    {
        var granted = Load(file).GetProperty("Statement").EnumerateArray()
            .SelectMany(s => Strings(s.GetProperty("Action")).SelectMany(a => Strings(s.GetProperty("Resource")).Select(r => new Grant(a, r))))
            .ToList();

        var missing = needed.Distinct().Where(n => !granted.Any(g => g.Action == n.Action && Matches(g.Resource, n.Resource))).ToList();
        var unused = granted.Where(g => !needed.Any(n => n.Action == g.Action && Matches(g.Resource, n.Resource))).ToList();

        Assert.True(missing.Count == 0 && unused.Count == 0,
            $"{file}:\n  called but not granted: {string.Join("; ", missing)}\n  granted but never called: {string.Join("; ", unused)}");
    }

    /// <summary>IAM resource matching: '*' is any run of characters, '?' any one; everything else literal.</summary>
    private static bool Matches(string pattern, string resource) =>
        Regex.IsMatch(resource, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");

    [GeneratedRegex(@"\$\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();

    public void Dispose() => _folder.Dispose();
}
