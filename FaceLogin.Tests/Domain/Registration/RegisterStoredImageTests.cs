using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.Registration;

/// <summary>Registering images already in the store: what bulk import and the S3-upload function do.</summary>
public sealed class RegisterStoredImageTests : IDisposable
{
    private readonly DomainHarness harness = new();

    private CancellationToken Cancellation => harness.Cancellation;

    public void Dispose() => harness.Dispose();

    private async Task<FaceImageKey> UploadAsync(string fullName, byte[] image, Guid? personId = null)
    {
        var key = FaceImageKey.New(personId ?? Guid.NewGuid());
        await harness.Images.PutAsync(key, image, new FaceImageMetadata(fullName, key.PersonId, "image/jpeg"), Cancellation);
        return key;
    }

    private Task<RegistrationResult> ImportAsync(FaceImageKey key) => harness.Registration.RegisterStoredImageAsync(key, Cancellation);

    [Fact]
    public async Task An_uploaded_image_creates_its_person_with_import_consent_and_never_an_admin()
    {
        var key = await UploadAsync("Imported Person", FakeFaceImages.Of("imported"));

        var result = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        var person = result.Person!;
        Assert.Equal(key.PersonId, person.Id);
        Assert.Equal("Imported Person", person.FullName);
        Assert.Equal("import:2026-03-14", person.ConsentVersion);
        Assert.False(person.IsAdmin);
        Assert.Equal(key, result.Face!.ImageKey);
        Assert.Equal(person, await harness.Directory.GetPersonAsync(person.Id, Cancellation));
        var indexed = Assert.Single((await harness.Collection.ListFacesAsync(null, 10, Cancellation)).Faces);
        Assert.Equal(key.PersonId.ToString("N"), indexed.ExternalImageId);
        Assert.NotNull(await harness.Images.GetAsync(key, Cancellation));
    }

    [Fact]
    public async Task Importing_the_same_image_again_changes_nothing()
    {
        var key = await UploadAsync("Imported Person", FakeFaceImages.Of("imported"));
        var first = await ImportAsync(key);
        var before = await harness.SnapshotAsync();

        var again = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.AlreadyImported, again.Status);
        Assert.Equal(first.Person, again.Person);
        Assert.Equal(first.Face, again.Face);
        (await harness.SnapshotAsync()).AssertSameAs(before);
    }

    [Fact]
    public async Task The_same_image_handled_at_once_by_several_callers_is_indexed_once()
    {
        var key = await UploadAsync("Imported Person", FakeFaceImages.Of("imported"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ImportAsync(key), Cancellation)));

        Assert.Single(results, r => r.Status == RegistrationStatus.Registered);
        Assert.Equal(3, results.Count(r => r.Status == RegistrationStatus.AlreadyImported));
        Assert.Single((await harness.SnapshotAsync()).CollectionFaces);
    }

    [Fact]
    public async Task Another_photo_of_the_same_person_is_added_to_them()
    {
        var person = Guid.NewGuid();
        var first = await ImportAsync(await UploadAsync("Twice Seen", FakeFaceImages.Of("twice"), person));
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await ImportAsync(await UploadAsync("Twice Seen", FakeFaceImages.Of("twice"), person));

        Assert.Equal(RegistrationStatus.Registered, second.Status);
        Assert.Equal(first.Person, second.Person);
        Assert.Equal(2, (await harness.Directory.GetFacesAsync(person, Cancellation)).Count);
        Assert.Equal(1, await harness.Directory.CountPeopleAsync(Cancellation));
    }

    [Fact]
    public async Task Another_person_s_face_is_skipped_and_the_refused_upload_deleted()
    {
        await harness.RegisterAsync("Signed Up", FakeFaceImages.Of("face"));
        var before = await harness.SnapshotAsync();
        var key = await UploadAsync("Someone Else", FakeFaceImages.Of("face"));

        var result = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.AlreadyRegistered, result.Status);
        Assert.Null(await harness.Images.GetAsync(key, Cancellation));
        (await harness.SnapshotAsync()).AssertSameAs(before);
    }

    public static TheoryData<string, byte[], RegistrationStatus> Refused => new()
    {
        { "Valid Name", FakeFaceImages.WithoutFace(), RegistrationStatus.NoFace },
        { "Valid Name", FakeFaceImages.Corrupt(), RegistrationStatus.BadImage },
        { "Valid Name", FakeFaceImages.With(new FakeFace("a", FakeFaceImages.CentreBox) { Brightness = 1 }), RegistrationStatus.PoorQuality },
        { "Bad\tName", FakeFaceImages.Of("a"), RegistrationStatus.InvalidName },
        { "  ", FakeFaceImages.Of("a"), RegistrationStatus.InvalidName },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_upload_is_reported_and_deleted_and_nothing_else_is_stored(string fullName, byte[] image, RegistrationStatus status)
    {
        var key = await UploadAsync(fullName, image);

        var result = await ImportAsync(key);

        Assert.Equal(status, result.Status);
        var state = await harness.SnapshotAsync();
        Assert.Empty(state.ImageFiles);
        Assert.Empty(state.CollectionFaces);
        Assert.Empty(state.People);
    }

    [Fact]
    public async Task A_missing_image_is_reported()
    {
        var result = await ImportAsync(FaceImageKey.New(Guid.NewGuid()));

        Assert.Equal(RegistrationStatus.ImageNotFound, result.Status);
        Assert.Equal(RegistrationService.ImageNotFoundMessage, result.Message);
    }

    public static TheoryData<string, bool, bool> DirectorySteps => new()
    {
        { nameof(IFaceDirectory.AddPersonAsync), false, false },
        { nameof(IFaceDirectory.AddPersonAsync), true, false },
        { nameof(IFaceDirectory.AddFaceAsync), false, true },
        { nameof(IFaceDirectory.AddFaceAsync), true, true },
    };

    [Theory]
    [MemberData(nameof(DirectorySteps))]
    public async Task A_failing_directory_write_undoes_the_face_keeps_the_upload_and_a_retry_finishes(string method, bool afterItsWork, bool personExists)
    {
        var person = Guid.NewGuid();
        if (personExists)
        {
            await ImportAsync(await UploadAsync("Known Person", FakeFaceImages.Of("known"), person));
        }

        var key = await UploadAsync("Known Person", FakeFaceImages.Of("known"), person);
        var before = await harness.SnapshotAsync();
        if (afterItsWork)
        {
            harness.DirectoryFaults.FailAfter(method);
        }
        else
        {
            harness.DirectoryFaults.FailBefore(method);
        }

        var failed = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.Failed, failed.Status);
        (await harness.SnapshotAsync()).AssertSameAs(before);
        Assert.NotNull(await harness.Images.GetAsync(key, Cancellation));

        harness.DirectoryFaults.Clear();
        var retried = await ImportAsync(key);
        Assert.Equal(RegistrationStatus.Registered, retried.Status);
        Assert.Equal(personExists ? 2 : 1, (await harness.Directory.GetFacesAsync(person, Cancellation)).Count);
    }

    [Fact]
    public async Task A_failing_index_keeps_the_upload_for_a_retry()
    {
        var key = await UploadAsync("Retry Me", FakeFaceImages.Of("retry"));
        harness.CollectionFaults.FailBefore(nameof(IFaceCollection.IndexFaceAsync));

        Assert.Equal(RegistrationStatus.Failed, (await ImportAsync(key)).Status);
        Assert.Empty((await harness.SnapshotAsync()).People);

        harness.CollectionFaults.Clear();
        Assert.Equal(RegistrationStatus.Registered, (await ImportAsync(key)).Status);
    }

    [Fact]
    public async Task Once_anybody_is_imported_a_sign_up_is_not_made_admin_by_being_first()
    {
        await ImportAsync(await UploadAsync("Imported", FakeFaceImages.Of("imported")));

        var (signedUp, _) = await harness.RegisterAsync("Signs Up", FakeFaceImages.Of("signs-up"));

        Assert.False(signedUp.IsAdmin);
    }

    [Fact]
    public async Task A_lost_index_answer_for_a_new_person_leaves_no_orphan_face_and_keeps_the_upload_for_a_retry()
    {
        var key = await UploadAsync("Imported Person", FakeFaceImages.Of("imported"));
        harness.CollectionFaults.FailAfter(nameof(IFaceCollection.IndexFaceAsync));

        Assert.Equal(RegistrationStatus.Failed, (await ImportAsync(key)).Status);

        var state = await harness.SnapshotAsync();
        Assert.Empty(state.CollectionFaces);
        Assert.Empty(state.People);
        Assert.NotNull(await harness.Images.GetAsync(key, Cancellation));
        harness.CollectionFaults.Clear();
        Assert.Equal(RegistrationStatus.Registered, (await ImportAsync(key)).Status);
    }

    [Fact]
    public async Task A_lost_index_answer_for_a_known_person_removes_only_the_new_face()
    {
        var person = Guid.NewGuid();
        var first = await ImportAsync(await UploadAsync("Known Person", FakeFaceImages.Of("known"), person));
        var before = await harness.SnapshotAsync();
        var key = await UploadAsync("Known Person", FakeFaceImages.Of("known"), person);
        harness.CollectionFaults.FailAfter(nameof(IFaceCollection.IndexFaceAsync));

        Assert.Equal(RegistrationStatus.Failed, (await ImportAsync(key)).Status);

        var state = await harness.SnapshotAsync();
        Assert.Equal(before.CollectionFaces, state.CollectionFaces);
        Assert.Equal(before.DirectoryFaces, state.DirectoryFaces);
        Assert.Equal(first.Person!.Id, (await harness.SignInAsync(FakeFaceImages.Of("known"))).Person?.Id);
    }

    [Fact]
    public async Task A_photo_uploaded_for_a_person_who_signed_up_is_refused_and_discarded()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var before = await harness.SnapshotAsync();
        var key = await UploadAsync("Ada Lovelace", FakeFaceImages.Of("intruder"), ada.Id);
        var detections = harness.Fake.DetectCount;

        var result = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.PersonNotImportable, result.Status);
        Assert.Equal(detections, harness.Fake.DetectCount);
        Assert.Equal(RegistrationService.PersonNotImportableMessage, result.Message);
        Assert.Null(await harness.Images.GetAsync(key, Cancellation));
        (await harness.SnapshotAsync()).AssertSameAs(before);
        Assert.Equal(LoginOutcome.NotRecognised, (await harness.SignInAsync(FakeFaceImages.Of("intruder"))).Outcome);
    }

    [Fact]
    public async Task A_stored_image_whose_metadata_names_another_person_is_refused_and_discarded()
    {
        var key = await UploadAsync("Imported Person", FakeFaceImages.Of("imported"));
        // The sidecar as another writer (not this store, which refuses it) could have left it: naming a different person.
        var sidecar = harness.Folder.Combine("images", key.PersonId.ToString("N"), key.ImageId.ToString("N") + ".json");
        File.WriteAllText(sidecar, File.ReadAllText(sidecar).Replace(key.PersonId.ToString("D"), Guid.NewGuid().ToString("D"), StringComparison.Ordinal));

        var result = await ImportAsync(key);

        Assert.Equal(RegistrationStatus.MetadataMismatch, result.Status);
        var state = await harness.SnapshotAsync();
        Assert.Empty(state.ImageFiles);
        Assert.Empty(state.CollectionFaces);
        Assert.Empty(state.People);
    }
}
