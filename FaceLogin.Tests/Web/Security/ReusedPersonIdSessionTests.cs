using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Security;

namespace FaceLogin.Tests.Web.Security;

/// <summary>
/// Review 3, N1: a person deleted and created again under the same id (an import derives the id from the image key) starts at
/// session version 0 again, like the cookies issued before the deletion. Those cookies must stay dead. Real SQLite directory.
/// </summary>
public sealed class ReusedPersonIdSessionTests : IDisposable
{
    private readonly DomainHarness harness = new();

    public void Dispose() => harness.Dispose();

    private PersonSessionCheck Check() => new(harness.Administration);

    /// <summary>The reviewer's probe: the old principal, the person deleted, the same id added again to the directory.</summary>
    [Fact]
    public async Task A_deleted_persons_cookie_does_not_come_back_when_the_id_is_reused()
    {
        var (ada, _) = await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var oldPrincipal = FaceLoginClaims.CreatePrincipal(ada, isAdmin: false);
        Assert.NotNull(await Check().RefreshAsync(oldPrincipal, harness.Cancellation));
        Assert.True(await harness.Administration.DeletePersonAsync(ada.Id, harness.Cancellation));

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var now = harness.Time.GetUtcNow();
        var readded = await harness.Directory.AddPersonAdminIfFirstAsync(
            ada with { FullName = "Ada Again", RegisteredAt = now, ConsentedAt = now },
            new RegisteredFace("face-again", ada.Id, FaceImageKey.New(ada.Id), new(0.1f, 0.1f, 0.5f, 0.5f), now),
            harness.Cancellation);

        Assert.Equal(0, readded.SessionVersion);
        Assert.Null(await Check().RefreshAsync(oldPrincipal, harness.Cancellation));
        Assert.NotNull(await Check().RefreshAsync(FaceLoginClaims.CreatePrincipal(readded, readded.IsAdmin), harness.Cancellation));
    }

    /// <summary>The way it happens: the image under the same key is uploaded and imported again after an admin deleted the person.</summary>
    [Fact]
    public async Task A_reimported_persons_cookie_from_before_the_deletion_stays_dead()
    {
        var key = FaceImageKey.New(Guid.NewGuid());
        await UploadAsync(key);
        var imported = (await harness.Registration.RegisterStoredImageAsync(key, harness.Cancellation)).Person!;
        var oldPrincipal = FaceLoginClaims.CreatePrincipal((await harness.Directory.GetPersonAsync(imported.Id, harness.Cancellation))!, isAdmin: false);
        Assert.True(await harness.Administration.DeletePersonAsync(imported.Id, harness.Cancellation));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await UploadAsync(key);
        var reimported = await harness.Registration.RegisterStoredImageAsync(key, harness.Cancellation);

        Assert.Equal(RegistrationStatus.Registered, reimported.Status);
        Assert.Equal(imported.Id, reimported.Person!.Id);
        Assert.Null(await Check().RefreshAsync(oldPrincipal, harness.Cancellation));
        var fresh = FaceLoginClaims.CreatePrincipal((await harness.Directory.GetPersonAsync(imported.Id, harness.Cancellation))!, isAdmin: false);
        Assert.Same(fresh, await Check().RefreshAsync(fresh, harness.Cancellation));
    }

    private Task UploadAsync(FaceImageKey key) =>
        harness.Images.PutAsync(key, FakeFaceImages.Of("imported"), new FaceImageMetadata("Imported Person", key.PersonId, "image/jpeg"), harness.Cancellation);
}
