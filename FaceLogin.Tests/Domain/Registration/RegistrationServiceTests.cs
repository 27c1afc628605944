using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Domain.Registration;

/// <summary>Sign-up over the real SQLite directory and image files, with the face-collection test double.</summary>
public sealed class RegistrationServiceTests : IDisposable
{
    private readonly DomainHarness harness = new();

    private CancellationToken Cancellation => harness.Cancellation;

    public void Dispose() => harness.Dispose();

    private Task<RegistrationResult> RegisterAsync(string name, byte[] image, bool consent = true) =>
        harness.Registration.RegisterAsync(new RegistrationRequest(name, consent, image), Cancellation);

    [Fact]
    public async Task A_new_person_is_stored_everywhere_with_consent_and_the_first_one_is_admin()
    {
        var result = await RegisterAsync("  Ada Lovelace ", FakeFaceImages.Of("ada"));

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        Assert.Equal(RegistrationService.RegisteredMessage, result.Message);
        var person = result.Person!;
        var face = result.Face!;
        Assert.Equal("Ada Lovelace", person.FullName);
        Assert.True(person.IsAdmin);
        Assert.Equal(ConsentText.Version, person.ConsentVersion);
        Assert.Equal(harness.Time.GetUtcNow(), person.ConsentedAt);
        Assert.Equal(harness.Time.GetUtcNow(), person.RegisteredAt);

        Assert.Equal(person, await harness.Directory.GetPersonAsync(person.Id, Cancellation));
        Assert.Equal([face], await harness.Directory.GetFacesAsync(person.Id, Cancellation));
        Assert.Equal(FakeFaceImages.CentreBox, face.Box);
        Assert.Equal(person.Id, face.ImageKey.PersonId);

        var stored = await harness.Images.GetAsync(face.ImageKey, Cancellation);
        Assert.Equal(FakeFaceImages.Of("ada").Length, stored!.Bytes.Length);
        Assert.Equal(new FaceImageMetadata("Ada Lovelace", person.Id, "image/jpeg"), stored.Metadata);

        var indexed = Assert.Single((await harness.Collection.ListFacesAsync(null, 10, Cancellation)).Faces);
        Assert.Equal(face.FaceId, indexed.FaceId);
        Assert.Equal(person.Id.ToString("N"), indexed.ExternalImageId);
    }

    [Fact]
    public async Task Later_people_are_not_admin()
    {
        await harness.RegisterAsync("First", FakeFaceImages.Of("first"));

        var (second, _) = await harness.RegisterAsync("Second", FakeFaceImages.Of("second"));

        Assert.False(second.IsAdmin);
    }

    [Fact]
    public async Task Of_simultaneous_first_sign_ups_exactly_one_becomes_admin()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => RegisterAsync($"Person {i}", FakeFaceImages.Of($"person-{i}")), Cancellation)));

        Assert.All(results, r => Assert.Equal(RegistrationStatus.Registered, r.Status));
        Assert.Single(results, r => r.Person!.IsAdmin);
        // Decided by the directory's first-person marker, not by counting everybody on every sign-up.
        Assert.Equal(0, harness.DirectoryFaults.CallCount(nameof(IFaceDirectory.CountPeopleAsync)));
        var state = await harness.SnapshotAsync();
        Assert.Equal(8, state.People.Length);
        Assert.Equal(8, state.CollectionFaces.Length);
        Assert.Equal(16, state.ImageFiles.Length);
        Assert.Equal(1, await harness.Directory.CountAdminsAsync(Cancellation));
    }

    [Fact]
    public async Task Of_simultaneous_sign_ups_with_one_face_only_one_gets_in()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            Task.Run(() => RegisterAsync($"Claimant {i}", FakeFaceImages.Of("contested")), Cancellation)));

        Assert.Single(results, r => r.Status == RegistrationStatus.Registered);
        Assert.Equal(4, results.Count(r => r.Status == RegistrationStatus.AlreadyRegistered));
        var state = await harness.SnapshotAsync();
        Assert.Single(state.People);
        Assert.Single(state.CollectionFaces);
        Assert.Equal(2, state.ImageFiles.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Ada\tLovelace")]
    [InlineData("\u200B\u200B")]
    public async Task An_invalid_name_is_refused_before_the_photo_is_looked_at(string name)
    {
        var result = await RegisterAsync(name, FakeFaceImages.Of("ada"));

        Assert.Equal(RegistrationStatus.InvalidName, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Equal(0, harness.Fake.DetectCount);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_name_over_100_characters_is_refused()
    {
        var result = await RegisterAsync(new string('x', 101), FakeFaceImages.Of("ada"));

        Assert.Equal(RegistrationStatus.InvalidName, result.Status);
        Assert.Equal(PersonName.TooLongMessage, result.Message);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Without_consent_nothing_happens()
    {
        var result = await RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"), consent: false);

        Assert.Equal(RegistrationStatus.ConsentMissing, result.Status);
        Assert.Equal(RegistrationService.ConsentMissingMessage, result.Message);
        Assert.Equal(0, harness.Fake.DetectCount);
        await AssertNothingStoredAsync();
    }

    public static TheoryData<string, byte[], RegistrationStatus, string> RefusedPhotos => new()
    {
        { "no face", FakeFaceImages.WithoutFace(), RegistrationStatus.NoFace, FaceFeedback.NoFace },
        {
            "two faces",
            FakeFaceImages.With(new FakeFace("a", new BoundingBox(0.05f, 0.2f, 0.4f, 0.4f)), new FakeFace("b", new BoundingBox(0.55f, 0.2f, 0.3f, 0.3f))),
            RegistrationStatus.MultipleFaces, FaceFeedback.MultipleFaces
        },
        {
            "tiny face", FakeFaceImages.With(new FakeFace("a", new BoundingBox(0.45f, 0.45f, 0.1f, 0.1f))),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.SmallBoundingBox)
        },
        {
            "turned away", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Yaw = 70 }),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.ExtremePose)
        },
        {
            // Issue 9: a photo turned 180° registered a second account for a registered face.
            "upside down", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Roll = -177 }),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.RotatedFace)
        },
        {
            // Registration applies sign-in's thresholds too: a face sign-in would not examine is never registered.
            "looking down past sign-in's pitch limit", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Pitch = -50 }),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.ExtremePose)
        },
        {
            "too dark (the engine's filter)", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Brightness = 5 }),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.LowBrightness)
        },
        {
            "blurred (the engine's filter)", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Sharpness = 5 }),
            RegistrationStatus.PoorQuality, FaceFeedback.ForReason(UnindexedReason.LowSharpness)
        },
        {
            "second face only seen when indexing",
            FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox), new FakeFace("b", new BoundingBox(0.7f, 0.6f, 0.3f, 0.3f)) { OnlySeenWhenIndexing = true }),
            RegistrationStatus.MultipleFaces, FaceFeedback.MultipleFaces
        },
        { "not an image", FakeFaceImages.NotAnImage(), RegistrationStatus.BadImage, FaceFeedback.ForImageProblem(ImageProblem.UnsupportedFormat) },
        { "corrupt JPEG", FakeFaceImages.Corrupt(), RegistrationStatus.BadImage, FaceFeedback.ForImageProblem(ImageProblem.Corrupt) },
        { "empty", [], RegistrationStatus.BadImage, FaceFeedback.ForImageProblem(ImageProblem.Empty) },
    };

    [Theory]
    [MemberData(nameof(RefusedPhotos))]
    public async Task A_refused_photo_gets_its_own_message_and_stores_nothing(string what, byte[] image, RegistrationStatus status, string message)
    {
        var earlier = await harness.RegisterAsync("Earlier Person", FakeFaceImages.Of("earlier"));
        var before = await harness.SnapshotAsync();

        var result = await RegisterAsync("New Person", image);

        Assert.True(status == result.Status, $"{what}: {result.Status}");
        Assert.Equal(message, result.Message);
        (await harness.SnapshotAsync()).AssertSameAs(before);
        Assert.True((await harness.SignInAsync(FakeFaceImages.Of("earlier"))).Succeeded);
        Assert.Equal(earlier.Person.Id, (await harness.SignInAsync(FakeFaceImages.Of("earlier"))).Person!.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_small_face_in_the_background_is_ignored_and_the_person_in_front_is_registered(bool onlySeenWhenIndexing)
    {
        var background = new FakeFace("passer-by", new BoundingBox(0.75f, 0.05f, 0.22f, 0.22f)) { OnlySeenWhenIndexing = onlySeenWhenIndexing };

        var result = await RegisterAsync("New Person", FakeFaceImages.With(new FakeFace("new", FakeFaceImages.CentreBox), background));

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        Assert.Equal(FakeFaceImages.CentreBox, result.Face!.Box);
        Assert.Equal(result.Person!.Id, (await harness.SignInAsync(FakeFaceImages.Of("new"))).Person!.Id);
        Assert.Equal(LoginOutcome.NotRecognised, (await harness.SignInAsync(FakeFaceImages.Of("passer-by"))).Outcome);
    }

    [Fact]
    public async Task Poor_quality_reports_every_reason()
    {
        var result = await RegisterAsync("Dim", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Brightness = 5, Sharpness = 5 }));

        Assert.Equal(RegistrationStatus.PoorQuality, result.Status);
        Assert.Equal([UnindexedReason.LowBrightness, UnindexedReason.LowSharpness], result.Reasons);
        Assert.Contains("too dark", result.Message, StringComparison.Ordinal);
        Assert.Contains("blurred", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_face_already_registered_is_refused_without_saying_whose_it_is()
    {
        await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        var before = await harness.SnapshotAsync();

        var result = await RegisterAsync("Impostor", FakeFaceImages.Of("grace"));

        Assert.Equal(RegistrationStatus.AlreadyRegistered, result.Status);
        Assert.Equal(RegistrationService.AlreadyRegisteredMessage, result.Message);
        Assert.DoesNotContain("Grace", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.Person);
        Assert.Null(result.Face);
        (await harness.SnapshotAsync()).AssertSameAs(before);
    }

    [Fact]
    public async Task A_face_similar_but_below_the_threshold_registers()
    {
        await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));

        var result = await RegisterAsync("Sister", FakeFaceImages.With(new FakeFace("sister", FakeFaceImages.CentreBox) { LooksLike = "grace", LooksLikeSimilarity = 70 }));

        Assert.Equal(RegistrationStatus.Registered, result.Status);
    }

    [Fact]
    public async Task A_face_left_in_the_collection_by_a_crash_does_not_block_its_owner()
    {
        await harness.Collection.IndexFaceAsync(FakeFaceImages.Of("ada"), Guid.NewGuid().ToString("N"), Cancellation);

        var result = await RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        Assert.Contains(harness.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("belongs to nobody", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_are_never_logged_at_information_or_above()
    {
        await harness.RegisterAsync("Zebedee Quartermaine", FakeFaceImages.Of("zq"));
        await RegisterAsync("Zebedee Quartermaine", FakeFaceImages.Of("zq"));
        harness.DirectoryFaults.FailBefore(nameof(IFaceDirectory.AddPersonAdminIfFirstAsync));
        await RegisterAsync("Zebedee Quartermaine Two", FakeFaceImages.Of("zq2"));

        harness.Logs.AssertNeverLogged("Zebedee");
        harness.Logs.AssertNeverLogged("Quartermaine");
    }

    private async Task AssertNothingStoredAsync()
    {
        var state = await harness.SnapshotAsync();
        Assert.Empty(state.ImageFiles);
        Assert.Empty(state.CollectionFaces);
        Assert.Empty(state.People);
    }
}
