using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.Authentication;

/// <summary>
/// Issue 9 point 2, "a successful sign-in of a person never blocked by other people's misses at the same address": at a delayed
/// address a known device (the person a device cookie names) gets a 1:1 verification against its person instead of a refusal.
/// Over the real SQLite directory, with the face-collection test double.
/// </summary>
public sealed class KnownDeviceSignInTests : IDisposable
{
    private const string Address = "192.0.2.10";

    /// <summary>A first delay far longer than the lane's minute, so the tests can tell the lane from the end of the delay.</summary>
    private readonly DomainHarness office = new(authentication: o => o.FirstDelay = TimeSpan.FromMinutes(10));

    private CancellationToken Cancellation => office.Cancellation;

    public void Dispose() => office.Dispose();

    [Fact]
    public async Task At_an_address_delayed_by_other_people_s_misses_a_person_on_their_known_device_signs_in_at_once()
    {
        var (ada, _) = await office.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        await DelayTheAddressAsync();
        office.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(LoginOutcome.LockedOut, (await office.SignInAsync(FakeFaceImages.Of("ada"))).Outcome);

        var result = await office.SignInAsync(FakeFaceImages.Of("ada"), knownDevice: ada.Id);

        Assert.Equal(LoginOutcome.SignedIn, result.Outcome);
        Assert.Equal(ada.Id, result.Person?.Id);
        Assert.Equal(office.Time.GetUtcNow(), (await PersonAsync(ada.Id)).LastSignInAt);
        var attempt = await LastAttemptAsync();
        Assert.Equal(new LoginAttempt(attempt.Id, office.Time.GetUtcNow(), LoginOutcome.SignedInOnKnownDevice, ada.Id, FakeFaceCollection.SameIdentitySimilarity, Address), attempt);

        // It asked the address nothing: no miss more, and the lane still opens a minute after the last question for the
        // colleague without a known device (a sign-in counted as a question would have pushed it a minute on).
        Assert.Equal(5, await MissesAsync());
        office.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ada.Id, (await office.SignInAsync(FakeFaceImages.Of("ada"))).Person?.Id);
    }

    [Fact]
    public async Task A_different_face_with_someone_s_known_device_is_not_signed_in_and_counts_against_the_device_s_person()
    {
        var (ada, _) = await office.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await office.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        await DelayTheAddressAsync();
        office.Time.Advance(TimeSpan.FromSeconds(59));

        // Grace is registered and matches at 99, but the device is Ada's: a verification, not an identification.
        var registeredFace = await office.SignInAsync(FakeFaceImages.Of("grace"), knownDevice: ada.Id);
        var stranger = await office.SignInAsync(FakeFaceImages.Of("stranger"), knownDevice: ada.Id);

        foreach (var refused in new[] { registeredFace, stranger })
        {
            Assert.Equal(LoginOutcome.NotRecognised, refused.Outcome);
            Assert.Equal(AuthenticationService.NotRecognisedMessage, refused.Message);
            Assert.Null(refused.Person);
        }

        Assert.Null((await PersonAsync(grace.Id)).LastSignInAt);
        Assert.Equal(0, (await PersonAsync(grace.Id)).FailedNearMatches);
        // Counted against Ada whatever the score (99 for a registered face, nothing at all for a stranger).
        Assert.Equal(2, (await PersonAsync(ada.Id)).FailedNearMatches);
        var attempts = (await office.Directory.ListLoginAttemptsAsync(new PageRequest(0, 2), Cancellation)).Items;
        Assert.All(attempts, a => Assert.Equal((LoginOutcome.KnownDeviceNotRecognised, ada.Id, Address), (a.Outcome, a.PersonId, a.ClientAddress)));
        Assert.Equal([FakeFaceCollection.UnrelatedSimilarity, FakeFaceCollection.SameIdentitySimilarity], attempts.Select(a => a.Similarity));

        // Bounded per person, so no address miss: the lane is as it was.
        Assert.Equal(5, await MissesAsync());
        office.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(grace.Id, (await office.SignInAsync(FakeFaceImages.Of("grace"))).Person?.Id);
    }

    [Fact]
    public async Task A_copied_device_cookie_gets_at_most_the_per_person_cap_of_tries()
    {
        using var strict = new DomainHarness(authentication: o => o.MaxFailedNearMatches = 3);
        var (ada, _) = await strict.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        for (var i = 0; i < strict.AuthenticationOptions.MaxFailedAttempts; i++)
        {
            await strict.SignInAsync(FakeFaceImages.Of($"visitor-{i}"));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginOutcome.NotRecognised, (await strict.SignInAsync(FakeFaceImages.Of($"thief-{i}"), knownDevice: ada.Id)).Outcome);
        }

        Assert.True((await strict.Directory.GetPersonAsync(ada.Id, Cancellation))!.IsFaceSignInSuspended);
        var searches = strict.Fake.SearchCount;
        Assert.Equal(LoginOutcome.LockedOut, (await strict.SignInAsync(FakeFaceImages.Of("thief-3"), knownDevice: ada.Id)).Outcome);
        Assert.Equal(searches, strict.Fake.SearchCount);
    }

    [Fact]
    public async Task A_suspended_person_s_known_device_is_refused_like_any_other_request_at_a_delayed_address()
    {
        var (ada, _) = await office.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        await office.Directory.RecordNearMatchAsync(ada.Id, office.Time.GetUtcNow(), suspendAfter: 1, Cancellation);
        await DelayTheAddressAsync();
        var searches = office.Fake.SearchCount;

        var refused = await office.SignInAsync(FakeFaceImages.Of("ada"), knownDevice: ada.Id);

        // The wait, as without the device: no face is searched, so nothing about Ada's suspension is told to the device.
        Assert.Equal(LoginOutcome.LockedOut, refused.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);
        Assert.Equal(searches, office.Fake.SearchCount);
        Assert.Equal(1, (await PersonAsync(ada.Id)).FailedNearMatches);

        Assert.True(await office.Administration.EnableFaceSignInAsync(ada.Id, Cancellation));
        Assert.Equal(LoginOutcome.SignedIn, (await office.SignInAsync(FakeFaceImages.Of("ada"), knownDevice: ada.Id)).Outcome);
    }

    [Fact]
    public async Task A_known_device_of_a_deleted_person_is_ignored()
    {
        var (ada, _) = await office.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await office.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        Assert.True(await office.Administration.DeletePersonAsync(ada.Id, Cancellation));
        await DelayTheAddressAsync();
        var searches = office.Fake.SearchCount;

        var refused = await office.SignInAsync(FakeFaceImages.Of("grace"), knownDevice: ada.Id);

        Assert.Equal(LoginOutcome.LockedOut, refused.Outcome);
        Assert.Equal(searches, office.Fake.SearchCount);
        Assert.Equal(LoginOutcome.LockedOut, (await LastAttemptAsync()).Outcome);
        Assert.Equal(grace.Id, (await office.SignInAsync(FakeFaceImages.Of("grace"), knownDevice: grace.Id)).Person?.Id);
    }

    [Fact]
    public async Task At_a_free_address_a_known_device_changes_nothing()
    {
        var (ada, _) = await office.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var (grace, _) = await office.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));

        var identified = await office.SignInAsync(FakeFaceImages.Of("grace"), knownDevice: ada.Id);
        Assert.Equal(grace.Id, identified.Person?.Id);
        Assert.Equal(LoginOutcome.SignedIn, (await LastAttemptAsync()).Outcome);

        var stranger = await office.SignInAsync(FakeFaceImages.Of("stranger"), knownDevice: ada.Id);
        Assert.Equal(LoginOutcome.NotRecognised, stranger.Outcome);
        Assert.Equal((LoginOutcome.NotRecognised, (Guid?)null), ((await LastAttemptAsync()).Outcome, (await LastAttemptAsync()).PersonId));
        Assert.Equal(0, (await PersonAsync(ada.Id)).FailedNearMatches);
        Assert.Equal(1, await MissesAsync());
    }

    /// <summary>Five strangers at <see cref="Address"/>, one after another: the address is delayed and its lane taken now.</summary>
    private async Task DelayTheAddressAsync()
    {
        for (var i = 0; i < office.AuthenticationOptions.MaxFailedAttempts; i++)
        {
            Assert.Equal(LoginOutcome.NotRecognised, (await office.SignInAsync(FakeFaceImages.Of($"visitor-{i}"))).Outcome);
        }
    }

    private Task<int> MissesAsync() => office.Directory.CountFailedAttemptsAsync(Address, DateTimeOffset.MinValue, Cancellation);

    private async Task<Person> PersonAsync(Guid id) => (await office.Directory.GetPersonAsync(id, Cancellation))!;

    private async Task<LoginAttempt> LastAttemptAsync() =>
        (await office.Directory.ListLoginAttemptsAsync(new PageRequest(0, 1), Cancellation)).Items[0];
}
