using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using SkiaSharp;

namespace FaceLogin.Tests.Domain.Administration;

/// <summary>The admin page's service over the real SQLite directory and image files, with the face-collection test double.</summary>
public sealed class AdministrationServiceTests : IDisposable
{
    private readonly DomainHarness harness = new();

    private CancellationToken Cancellation => harness.Cancellation;

    public void Dispose() => harness.Dispose();

    /// <summary>A person the way import makes them: each photo put in the image store and registered from there, a minute apart.</summary>
    private async Task<(Person Person, RegisteredFace[] Faces)> ImportAsync(string fullName, params byte[][] photos)
    {
        var personId = Guid.NewGuid();
        var faces = new List<RegisteredFace>();
        Person? person = null;
        foreach (var photo in photos)
        {
            var key = FaceImageKey.New(personId);
            await harness.Images.PutAsync(key, photo, new FaceImageMetadata(fullName, personId, "image/jpeg"), Cancellation);
            var result = await harness.Registration.RegisterStoredImageAsync(key, Cancellation);
            Assert.Equal(RegistrationStatus.Registered, result.Status);
            person ??= result.Person;
            faces.Add(result.Face!);
            harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return (person!, [.. faces]);
    }

    [Fact]
    public async Task People_are_listed_with_face_count_dates_and_first_face_searchable_and_paged()
    {
        var (ada, adaFaces) = await ImportAsync("Ada Lovelace", FakeFaceImages.Of("ada"), FakeFaceImages.Of("ada"));
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.SignInAsync(FakeFaceImages.Of("grace"));

        var all = await harness.Administration.ListPeopleAsync(new PeopleQuery(0, 10, null), Cancellation);
        var found = await harness.Administration.ListPeopleAsync(new PeopleQuery(0, 10, "  lOVE "), Cancellation);
        var secondPage = await harness.Administration.ListPeopleAsync(new PeopleQuery(1, 1, null), Cancellation);

        Assert.Equal(2, all.TotalCount);
        var adaSummary = all.Items[0];
        Assert.Equal(ada, adaSummary.Person);
        Assert.Equal(2, adaSummary.FaceCount);
        Assert.Equal(adaFaces[0], adaSummary.FirstFace);
        Assert.Equal(harness.Time.GetUtcNow(), all.Items[1].Person.LastSignInAt);
        Assert.Equal([ada.Id], found.Items.Select(s => s.Person.Id));
        Assert.Equal(1, found.TotalCount);
        Assert.Equal([grace.Id], secondPage.Items.Select(s => s.Person.Id));
    }

    [Fact]
    public async Task Paging_requests_are_clamped_to_what_the_directory_allows()
    {
        for (var i = 0; i < 3; i++)
        {
            await harness.RegisterAsync($"Person {i}", FakeFaceImages.Of($"p{i}"));
        }

        var huge = await harness.Administration.ListPeopleAsync(new PeopleQuery(-5, 100_000, ""), Cancellation);
        var tiny = await harness.Administration.ListPeopleAsync(new PeopleQuery(0, 0, null), Cancellation);
        var attempts = await harness.Administration.ListLoginAttemptsAsync(new PageRequest(-1, 100_000), Cancellation);

        Assert.Equal(3, huge.Items.Count);
        Assert.Single(tiny.Items);
        Assert.Empty(attempts.Items);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue / 100)]
    [InlineData(int.MaxValue / 200 + 1)]
    public async Task A_huge_page_number_is_an_empty_page_not_an_error(int page)
    {
        await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        await harness.SignInAsync(FakeFaceImages.Of("ada"));

        var people = await harness.Administration.ListPeopleAsync(new PeopleQuery(page, 200, null), Cancellation);
        var attempts = await harness.Administration.ListLoginAttemptsAsync(new PageRequest(page, 200), Cancellation);

        Assert.Empty(people.Items);
        Assert.Equal(1, people.TotalCount);
        Assert.Empty(attempts.Items);
        Assert.Equal(1, attempts.TotalCount);
    }

    [Fact]
    public async Task A_person_is_shown_with_all_their_faces_and_admin_state()
    {
        var (first, _) = await harness.RegisterAsync("First Person", FakeFaceImages.Of("first"));
        var (ada, adaFaces) = await ImportAsync("Ada Lovelace", FakeFaceImages.Of("ada"), FakeFaceImages.Of("ada"));

        var view = await harness.Administration.GetPersonAsync(ada.Id, Cancellation);

        Assert.NotNull(view);
        Assert.Equal(ada, view.Person);
        Assert.False(view.IsAdmin);
        Assert.Equal(2, view.FaceCount);
        Assert.Equal(adaFaces, view.Faces);
        Assert.True((await harness.Administration.GetPersonAsync(first.Id, Cancellation))!.IsAdmin);
        Assert.Null(await harness.Administration.GetPersonAsync(Guid.NewGuid(), Cancellation));
    }

    [Fact]
    public async Task Deleting_a_person_removes_images_faces_and_records_everywhere_and_nobody_else_s()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var adaOnly = await harness.SnapshotAsync();
        var (grace, _) = await ImportAsync("Grace Hopper", FakeFaceImages.Of("grace"), FakeFaceImages.Of("grace"));
        await harness.SignInAsync(FakeFaceImages.Of("grace"));

        Assert.True(await harness.Administration.DeletePersonAsync(grace.Id, Cancellation));

        (await harness.SnapshotAsync()).AssertSameAs(adaOnly);
        Assert.False(Directory.Exists(harness.Folder.Combine("images", grace.Id.ToString("N"))));
        Assert.Equal(LoginOutcome.NotRecognised, (await harness.SignInAsync(FakeFaceImages.Of("grace"))).Outcome);
        Assert.DoesNotContain((await harness.Administration.ListLoginAttemptsAsync(new PageRequest(0, 10), Cancellation)).Items, a => a.PersonId == grace.Id);
        Assert.Equal(ada.Id, (await harness.SignInAsync(FakeFaceImages.Of("ada"))).Person!.Id);
        Assert.False(await harness.Administration.DeletePersonAsync(grace.Id, Cancellation));
    }

    [Fact]
    public async Task Deleting_a_person_also_removes_faces_indexed_under_their_id_that_the_directory_never_recorded()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        await harness.Collection.IndexFaceAsync(FakeFaceImages.Of("ada-crashed"), ada.Id.ToString("N"), Cancellation);

        Assert.True(await harness.Administration.DeletePersonAsync(ada.Id, Cancellation));

        Assert.Empty((await harness.SnapshotAsync()).CollectionFaces);
    }

    /// <summary>Review-4 S1: an image of the person that no face record points to (a failed upload or import) goes too.</summary>
    [Fact]
    public async Task Deleting_a_person_removes_their_images_that_nothing_records()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var orphan = FaceImageKey.New(ada.Id);
        await harness.Images.PutAsync(orphan, FakeFaceImages.Of("ada"), new FaceImageMetadata("Ada Lovelace", ada.Id, "image/jpeg"), Cancellation);

        Assert.True(await harness.Administration.DeletePersonAsync(ada.Id, Cancellation));

        Assert.Null(await harness.Images.GetAsync(orphan, Cancellation));
        Assert.False(Directory.Exists(Path.Combine(harness.Images.Root, ada.Id.ToString("N"))));
    }

    [Theory]
    [InlineData(nameof(IFaceImageStore), nameof(IFaceImageStore.DeleteAsync))]
    [InlineData(nameof(IFaceImageStore), nameof(IFaceImageStore.DeletePersonImagesAsync))]
    [InlineData(nameof(IFaceDirectory), nameof(IFaceDirectory.DeletePersonAsync))]
    public async Task A_delete_that_fails_half_way_leaves_no_face_to_sign_in_with_and_a_retry_finishes(string port, string method)
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var adaOnly = await harness.SnapshotAsync();
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        var plan = port == nameof(IFaceImageStore) ? harness.ImageFaults : harness.DirectoryFaults;
        plan.FailBefore(method);

        await Assert.ThrowsAsync<InjectedFaultException>(() => harness.Administration.DeletePersonAsync(grace.Id, Cancellation));

        Assert.NotNull(await harness.Administration.GetPersonAsync(grace.Id, Cancellation));
        Assert.Equal(LoginOutcome.NotRecognised, (await harness.SignInAsync(FakeFaceImages.Of("grace"))).Outcome);

        plan.Clear();
        Assert.True(await harness.Administration.DeletePersonAsync(grace.Id, Cancellation));
        (await harness.SnapshotAsync()).AssertSameAs(adaOnly);
        Assert.Equal(ada.Id, (await harness.SignInAsync(FakeFaceImages.Of("ada"))).Person!.Id);
    }

    [Fact]
    public async Task Login_attempts_are_listed_newest_first()
    {
        await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        await harness.SignInAsync(FakeFaceImages.Of("ada"), "a");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.SignInAsync(FakeFaceImages.WithoutFace(), "b");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.SignInAsync(FakeFaceImages.Of("stranger"), "c");

        var page = await harness.Administration.ListLoginAttemptsAsync(new PageRequest(0, 2), Cancellation);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal([LoginOutcome.NotRecognised, LoginOutcome.NoFace], page.Items.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Admins_are_flagged_in_the_directory_or_listed_by_person_id_in_configuration()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        var (alan, _) = await harness.RegisterAsync("Alan Turing", FakeFaceImages.Of("alan"));
        harness.AppOptions.Admins.Add(grace.Id.ToString());

        Assert.True(await harness.Administration.IsAdminAsync(ada.Id, Cancellation));
        Assert.True(await harness.Administration.IsAdminAsync(grace.Id, Cancellation));
        Assert.True((await harness.Administration.GetPersonAsync(grace.Id, Cancellation))!.IsAdmin);
        Assert.False(await harness.Administration.IsAdminAsync(alan.Id, Cancellation));
        Assert.False(await harness.Administration.IsAdminAsync(Guid.NewGuid(), Cancellation));
    }

    [Fact]
    public async Task Signing_up_with_the_name_written_in_the_admin_setting_does_not_make_you_admin()
    {
        // An operator who (wrongly) writes a name into FaceLogin:Admins: start-up validation refuses it; here the service is
        // shown to ignore it as well, so a stranger who registers under that name gains nothing.
        harness.AppOptions.Admins.Add("Grace Hopper");
        await harness.RegisterAsync("First Person", FakeFaceImages.Of("first"));

        var (impostor, _) = await harness.RegisterAsync("grace hopper", FakeFaceImages.Of("somebody-else"));

        Assert.False(await harness.Administration.IsAdminAsync(impostor.Id, Cancellation));
        Assert.False((await harness.Administration.GetPersonAsync(impostor.Id, Cancellation))!.IsAdmin);
    }

    [Fact]
    public async Task Admins_are_promoted_and_demoted_but_never_the_last_one()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));

        Assert.False(await harness.Administration.SetAdminAsync(ada.Id, false, Cancellation));
        Assert.True(await harness.Administration.IsAdminAsync(ada.Id, Cancellation));

        Assert.True(await harness.Administration.SetAdminAsync(grace.Id, true, Cancellation));
        Assert.True(await harness.Administration.SetAdminAsync(grace.Id, true, Cancellation));
        Assert.True(await harness.Administration.IsAdminAsync(grace.Id, Cancellation));

        Assert.True(await harness.Administration.SetAdminAsync(ada.Id, false, Cancellation));
        Assert.False(await harness.Administration.IsAdminAsync(ada.Id, Cancellation));
        Assert.False(await harness.Administration.SetAdminAsync(grace.Id, false, Cancellation));
        Assert.False(await harness.Administration.SetAdminAsync(Guid.NewGuid(), true, Cancellation));
        Assert.Equal(1, await harness.Directory.CountAdminsAsync(Cancellation));
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        await harness.Administration.SetAdminAsync(grace.Id, true, Cancellation);

        var results = await Task.WhenAll(
            Task.Run(() => harness.Administration.SetAdminAsync(ada.Id, false, Cancellation), Cancellation),
            Task.Run(() => harness.Administration.SetAdminAsync(grace.Id, false, Cancellation), Cancellation));

        Assert.Single(results, r => r);
        Assert.Equal(1, await harness.Directory.CountAdminsAsync(Cancellation));
    }

    [Fact]
    public async Task A_thumbnail_is_the_face_cut_out_with_a_margin_and_scaled_down()
    {
        var image = FaceSquareJpeg(600, 400, faceLeft: 240, faceTop: 140, side: 120, orientation: null);
        var box = new BoundingBox(240f / 600, 140f / 400, 120f / 600, 120f / 400);
        var (ada, face) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Describe(image, new FakeFace("ada", box)));

        var thumbnail = await harness.Administration.GetThumbnailAsync(ada.Id, face.FaceId, 96, Cancellation);

        using var decoded = SKBitmap.Decode(thumbnail!.Jpeg);
        Assert.Equal((96, 96), (decoded.Width, decoded.Height));
        AssertColour(decoded.GetPixel(48 - 18, 48), red: true);
        AssertColour(decoded.GetPixel(48 + 18, 48), red: false);
        AssertGrey(decoded.GetPixel(3, 3));
    }

    [Fact]
    public async Task A_thumbnail_of_a_photo_stored_sideways_with_an_orientation_tag_is_upright()
    {
        // Stored 600×400 with EXIF orientation 6 (shown rotated 90° clockwise, 400×600). The face square is at raw x 400..520,
        // y 80..200; shown, that is x 200..320, y 400..520, and the box (as the engine reports it) is in shown coordinates.
        var image = FaceSquareJpeg(600, 400, faceLeft: 400, faceTop: 80, side: 120, orientation: 6);
        var box = new BoundingBox(200f / 400, 400f / 600, 120f / 400, 120f / 600);
        var (ada, face) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Describe(image, new FakeFace("ada", box)));

        var thumbnail = await harness.Administration.GetThumbnailAsync(ada.Id, face.FaceId, 96, Cancellation);

        using var decoded = SKBitmap.Decode(thumbnail!.Jpeg);
        Assert.Equal((96, 96), (decoded.Width, decoded.Height));
        // The raw square's left half (red) is on top once shown, its right half (green) below.
        AssertColour(decoded.GetPixel(48, 48 - 18), red: true);
        AssertColour(decoded.GetPixel(48, 48 + 18), red: false);
        AssertGrey(decoded.GetPixel(3, 3));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(150)]
    [InlineData(256)]
    public async Task A_thumbnail_has_the_size_asked_for_whatever_scale_the_decoder_offers(int maxSide)
    {
        var (ada, face) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));

        var thumbnail = await harness.Administration.GetThumbnailAsync(ada.Id, face.FaceId, maxSide, Cancellation);

        using var decoded = SKBitmap.Decode(thumbnail!.Jpeg);
        Assert.Equal(maxSide, Math.Max(decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task A_thumbnail_is_never_scaled_up_and_the_size_is_clamped()
    {
        var (ada, face) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));

        var large = await harness.Administration.GetThumbnailAsync(ada.Id, face.FaceId, 5000, Cancellation);
        var small = await harness.Administration.GetThumbnailAsync(ada.Id, face.FaceId, 1, Cancellation);

        using var largeBitmap = SKBitmap.Decode(large!.Jpeg);
        using var smallBitmap = SKBitmap.Decode(small!.Jpeg);
        Assert.True(largeBitmap.Width <= FakeFaceImages.Width && largeBitmap.Height <= FakeFaceImages.Height);
        Assert.Equal(16, Math.Max(smallBitmap.Width, smallBitmap.Height));
    }

    [Fact]
    public async Task No_thumbnail_for_another_person_s_face_an_unknown_face_or_a_missing_image()
    {
        var (ada, adaFace) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));

        Assert.Null(await harness.Administration.GetThumbnailAsync(grace.Id, adaFace.FaceId, 64, Cancellation));
        Assert.Null(await harness.Administration.GetThumbnailAsync(ada.Id, "no-such-face", 64, Cancellation));
        Assert.Null(await harness.Administration.GetThumbnailAsync(ada.Id, "", 64, Cancellation));

        await harness.Images.DeleteAsync(adaFace.ImageKey, Cancellation);
        Assert.Null(await harness.Administration.GetThumbnailAsync(ada.Id, adaFace.FaceId, 64, Cancellation));
    }

    /// <summary>A grey JPEG with a square whose left half is red and right half green (in stored pixels).</summary>
    private static byte[] FaceSquareJpeg(int width, int height, int faceLeft, int faceTop, int side, ushort? orientation)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(128, 128, 128));
            using var red = new SKPaint { Color = new SKColor(220, 30, 30) };
            using var green = new SKPaint { Color = new SKColor(30, 200, 30) };
            canvas.DrawRect(faceLeft, faceTop, side / 2f, side, red);
            canvas.DrawRect(faceLeft + side / 2f, faceTop, side / 2f, side, green);
        }

        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return orientation is { } value ? ExifJpeg.WithOrientation(jpeg.ToArray(), value) : jpeg.ToArray();
    }

    private static void AssertColour(SKColor pixel, bool red)
    {
        var (strong, weak) = red ? (pixel.Red, pixel.Green) : (pixel.Green, pixel.Red);
        Assert.True(strong > 150 && weak < 90, $"expected {(red ? "red" : "green")}, got {pixel}");
    }

    private static void AssertGrey(SKColor pixel) =>
        Assert.True(Math.Abs(pixel.Red - 128) < 20 && Math.Abs(pixel.Green - 128) < 20 && Math.Abs(pixel.Blue - 128) < 20, $"expected grey, got {pixel}");
}
