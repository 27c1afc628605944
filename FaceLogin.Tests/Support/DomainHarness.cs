using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Support;

/// <summary>
/// The three use-case services over the REAL local adapters (a SQLite file and image files in a temp folder) and a face
/// collection (by default the <see cref="FakeFaceCollection"/> test double; the real engine where a test passes one).
/// Every port is wrapped in a <see cref="FaultInjectingProxy{T}"/> so a test can make any step fail.
/// </summary>
public sealed class DomainHarness : IDisposable
{
    /// <param name="collection">Builds the face collection in the harness's folder; the <see cref="FakeFaceCollection"/> double when null.</param>
    public DomainHarness(
        Func<DomainHarness, IFaceCollection>? collection = null,
        Action<AuthenticationOptions>? authentication = null,
        Action<RegistrationOptions>? registration = null,
        ILivenessFrameAnalyzer? liveness = null)
    {
        Folder = new TempFolder();
        AppOptions.DataPath = Folder.Path;
        Collection = collection?.Invoke(this) ?? new FakeFaceCollection();
        Directory = new SqliteFaceDirectory(Folder.Combine(SqliteDirectoryOptions.DatabaseFileName), new SqliteDirectoryOptions(), Time, Logs.For<SqliteFaceDirectory>());
        Images = new FileSystemFaceImageStore(Folder.Combine(LocalStoresServiceCollectionExtensions.ImagesFolderName), Time);

        var faces = FaultInjectingProxy<IFaceCollection>.Wrap(Collection, CollectionFaults);
        var images = FaultInjectingProxy<IFaceImageStore>.Wrap(Images, ImageFaults);
        var directory = FaultInjectingProxy<IFaceDirectory>.Wrap(Directory, DirectoryFaults);

        var registrationOptions = new RegistrationOptions();
        registration?.Invoke(registrationOptions);
        var authenticationOptions = new AuthenticationOptions();
        authentication?.Invoke(authenticationOptions);
        AuthenticationOptions = authenticationOptions;

        // With a liveness analyzer both pages' doors ask for a burst answering a challenge and a passive score (the app's default).
        var livenessOptions = Options.Create(new LivenessOptions { SignIn = LivenessMode.Both, SignUp = LivenessMode.Both });
        var judge = liveness is null ? null : new LivenessJudge(liveness, livenessOptions);
        Registration = new RegistrationService(
            faces, images, directory, Options.Create(registrationOptions), Time, Logs.For<RegistrationService>(), Options.Create(authenticationOptions),
            liveness: judge is null ? null : livenessOptions, livenessJudge: judge);
        Authentication = new AuthenticationService(
            faces, directory, Options.Create(authenticationOptions), Time, Logs.For<AuthenticationService>(),
            liveness: judge is null ? null : livenessOptions, livenessJudge: judge);
        Administration = new AdministrationService(faces, images, directory, Options.Create(AppOptions), Logs.For<AdministrationService>());
    }

    public TempFolder Folder { get; }
    public ManualTimeProvider Time { get; } = new();
    public RecordingLogs Logs { get; } = new();

    /// <summary>The real adapters, unwrapped: what tests inspect.</summary>
    public SqliteFaceDirectory Directory { get; }
    public FileSystemFaceImageStore Images { get; }
    public IFaceCollection Collection { get; }
    public FakeFaceCollection Fake => Collection as FakeFaceCollection ?? throw new InvalidOperationException("This harness runs the real engine.");

    public FaultPlan CollectionFaults { get; } = new();
    public FaultPlan ImageFaults { get; } = new();
    public FaultPlan DirectoryFaults { get; } = new();

    /// <summary>FaceLogin options as the administration service sees them (e.g. <see cref="FaceLoginOptions.Admins"/>).</summary>
    public FaceLoginOptions AppOptions { get; } = new();
    public AuthenticationOptions AuthenticationOptions { get; }

    public RegistrationService Registration { get; }
    public AuthenticationService Authentication { get; }
    public AdministrationService Administration { get; }

    public CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Registers and asserts it worked.</summary>
    public async Task<(Person Person, RegisteredFace Face)> RegisterAsync(string fullName, byte[] image)
    {
        var result = await Registration.RegisterAsync(new RegistrationRequest(fullName, true, image), Cancellation);
        Assert.True(result.Succeeded, $"Registering failed: {result.Status} {result.Message}");
        return (result.Person!, result.Face!);
    }

    /// <summary>A sign-up as the page makes it: from a client address, so it goes through lock-out and into the attempt log.</summary>
    public Task<RegistrationResult> SignUpFromAsync(string clientAddress, string fullName, byte[] image) =>
        Registration.RegisterAsync(new RegistrationRequest(fullName, true, image, clientAddress), Cancellation);

    /// <param name="knownDevice">The person a known-device cookie of the caller names, if any.</param>
    public Task<AuthenticationResult> SignInAsync(byte[] image, string clientAddress = "192.0.2.10", Guid? knownDevice = null) =>
        Authentication.AuthenticateAsync(new AuthenticationRequest(image, clientAddress, knownDevice), Cancellation);

    /// <summary>Everything stored anywhere: image files (temporary ones included), faces in the collection, people and their face rows.</summary>
    public async Task<StoredState> SnapshotAsync()
    {
        var people = new List<string>();
        var faceRows = new List<string>();
        for (var page = 0; ; page++)
        {
            var result = await Directory.ListPeopleAsync(new PeopleQuery(page, PageRequest.MaxPageSize, null), Cancellation);
            foreach (var summary in result.Items)
            {
                people.Add(summary.Person.Id.ToString("N"));
                faceRows.AddRange((await Directory.GetFacesAsync(summary.Person.Id, Cancellation)).Select(f => $"{f.FaceId}@{f.ImageKey}"));
            }

            if (result.Items.Count < PageRequest.MaxPageSize)
            {
                break;
            }
        }

        var collectionFaces = new List<string>();
        string? next = null;
        do
        {
            var page = await Collection.ListFacesAsync(next, 1000, Cancellation);
            collectionFaces.AddRange(page.Faces.Select(f => f.FaceId));
            next = page.NextToken;
        }
        while (next is not null);

        return new StoredState(
            Folder.Files(LocalStoresServiceCollectionExtensions.ImagesFolderName),
            [.. collectionFaces.Order(StringComparer.Ordinal)],
            [.. people.Order(StringComparer.Ordinal)],
            [.. faceRows.Order(StringComparer.Ordinal)]);
    }

    public void Dispose()
    {
        Directory.Dispose();
        (Collection as IDisposable)?.Dispose();
        Folder.Dispose();
    }
}

/// <summary>What a harness holds, for "nothing left behind, nothing lost" assertions.</summary>
public sealed record StoredState(string[] ImageFiles, string[] CollectionFaces, string[] People, string[] DirectoryFaces)
{
    public void AssertSameAs(StoredState expected)
    {
        Assert.Equal(expected.ImageFiles, ImageFiles);
        Assert.Equal(expected.CollectionFaces, CollectionFaces);
        Assert.Equal(expected.People, People);
        Assert.Equal(expected.DirectoryFaces, DirectoryFaces);
    }
}
