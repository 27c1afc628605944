using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.Faces.Liveness;

/// <summary>
/// Sign-in and sign-up with liveness at their default (a burst answering the challenge, and the passive score), over the
/// real SQLite directory with the face-collection and liveness test doubles: which photo goes on, what is recorded, what
/// counts against the address, and that a refusal stores nothing.
/// </summary>
public sealed class LivenessAtTheDoorsTests : IDisposable
{
    private const string Address = "192.0.2.44";
    private static readonly HeadMovement[] LeftThenRight = [HeadMovement.TurnLeft, HeadMovement.TurnRight];
    private static readonly float[] LeftThenRightYaws = [0, 1, -1, 0, 2, 12, 30, 32, 20, 5, 0, -10, -30, -33, -20, -5, 0];

    private readonly ScriptedLivenessAnalyzer _analyzer = new();
    private readonly DomainHarness _harness;

    public LivenessAtTheDoorsTests() => _harness = new DomainHarness(liveness: _analyzer);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_live_burst_signs_in_with_its_frontal_frame()
    {
        var (ada, _) = await RegisterAsync("Ada Lovelace", "ada");
        var searchesBefore = _harness.Fake.SearchCount;

        var result = await SignInAsync(Burst("ada", LeftThenRightYaws));

        Assert.Equal(LoginOutcome.SignedIn, result.Outcome);
        Assert.Equal(ada.Id, result.Person!.Id);
        Assert.Equal(searchesBefore + 1, _harness.Fake.SearchCount);
    }

    [Fact]
    public async Task A_single_photo_is_refused_with_follow_the_arrows_and_counts_against_the_address()
    {
        await RegisterAsync("Ada Lovelace", "ada");

        var searchesBefore = _harness.Fake.SearchCount;
        var result = await _harness.SignInAsync(FakeFaceImages.Of("ada"), Address);

        Assert.Equal(LoginOutcome.NotLive, result.Outcome);
        Assert.Equal(LivenessFeedback.FollowTheArrows, result.Message);
        Assert.Null(result.Person);
        Assert.Equal(searchesBefore, _harness.Fake.SearchCount);
        var attempt = await LastAttemptAsync();
        Assert.Equal(LoginOutcome.NotLive, attempt.Outcome);
        Assert.Equal(LivenessRefusal.BurstMissing, attempt.LivenessRefusal);
        Assert.Equal(1, await _harness.Directory.CountFailedAttemptsAsync(Address, DateTimeOffset.MinValue, _harness.Cancellation));
    }

    [Fact]
    public async Task A_flat_picture_turned_as_asked_is_refused_without_saying_which_check_and_is_logged_with_it()
    {
        await RegisterAsync("Ada Lovelace", "ada");
        var searchesBefore = _harness.Fake.SearchCount;

        var result = await SignInAsync(Burst("ada", LeftThenRightYaws, flat: true));

        Assert.Equal(LoginOutcome.NotLive, result.Outcome);
        Assert.Equal(LivenessFeedback.LiveFaceNeeded, result.Message);
        Assert.Equal(LivenessRefusal.FlatPicture, (await LastAttemptAsync()).LivenessRefusal);
        Assert.Equal(searchesBefore, _harness.Fake.SearchCount);
    }

    [Fact]
    public async Task Presentations_refused_as_not_live_delay_the_address_like_faces_that_matched_nobody()
    {
        await RegisterAsync("Ada Lovelace", "ada");
        for (var i = 0; i < _harness.AuthenticationOptions.MaxFailedAttempts; i++)
        {
            Assert.Equal(LoginOutcome.NotLive, (await SignInAsync(Burst("ada", LeftThenRightYaws, flat: true, nonce: i))).Outcome);
        }

        var live = await SignInAsync(Burst("ada", LeftThenRightYaws, nonce: 99));

        Assert.Equal(LoginOutcome.LockedOut, live.Outcome);
        Assert.NotNull(live.RetryAfter);
    }

    [Fact]
    public async Task A_malformed_burst_is_a_bad_image_that_costs_nothing()
    {
        var burst = Burst("ada", LeftThenRightYaws);
        var result = await SignInAsync(burst with { StepShownAtMs = [800] });

        Assert.Equal(LoginOutcome.BadImage, result.Outcome);
        Assert.Equal(LivenessFeedback.BurstNotReceived, result.Message);
        Assert.Equal(0, await _harness.Directory.CountFailedAttemptsAsync(Address, DateTimeOffset.MinValue, _harness.Cancellation));
    }

    [Fact]
    public async Task A_frame_over_the_door_budget_refuses_the_burst_before_it_is_looked_at()
    {
        var burst = Burst("ada", LeftThenRightYaws);
        var huge = new byte[(int)new FaceLogin.Domain.Faces.Cost.ImageBudgetOptions().SignIn.MaxBytes + 1];
        var frames = burst.Frames.Select((f, i) => i == 3 ? f with { Image = huge } : f).ToList();

        var result = await SignInAsync(burst with { Frames = frames });

        Assert.Equal(LoginOutcome.BadImage, result.Outcome);
        Assert.Equal(0, _analyzer.Looks);
    }

    [Fact]
    public async Task A_live_sign_up_registers_its_frontal_frame_and_a_flat_one_stores_nothing()
    {
        var before = await _harness.SnapshotAsync();
        var flat = await SignUpAsync("Grace Hopper", Burst("grace", LeftThenRightYaws, flat: true));

        Assert.Equal(RegistrationStatus.NotLive, flat.Status);
        Assert.Equal(LivenessFeedback.LiveFaceNeeded, flat.Message);
        (await _harness.SnapshotAsync()).AssertSameAs(before);
        var attempt = await LastAttemptAsync();
        Assert.Equal(LoginOutcome.NotLive, attempt.Outcome);
        Assert.Equal(LivenessRefusal.FlatPicture, attempt.LivenessRefusal);

        var live = await SignUpAsync("Grace Hopper", Burst("grace", LeftThenRightYaws, nonce: 1));

        Assert.Equal(RegistrationStatus.Registered, live.Status);
        Assert.Equal(LoginOutcome.SignedIn, (await SignInAsync(Burst("grace", LeftThenRightYaws, nonce: 2))).Outcome);
    }

    private Task<(Person Person, RegisteredFace Face)> RegisterAsync(string name, string identity) =>
        _harness.RegisterAsync(name, FakeFaceImages.Of(identity));

    private Task<AuthenticationResult> SignInAsync(LivenessBurst burst) =>
        _harness.Authentication.AuthenticateAsync(new AuthenticationRequest(ReadOnlyMemory<byte>.Empty, Address) { Burst = burst }, _harness.Cancellation);

    private Task<RegistrationResult> SignUpAsync(string name, LivenessBurst burst) =>
        _harness.Registration.RegisterAsync(new RegistrationRequest(name, true, ReadOnlyMemory<byte>.Empty, Address) { Burst = burst }, _harness.Cancellation);

    private async Task<LoginAttempt> LastAttemptAsync() =>
        (await _harness.Directory.ListLoginAttemptsAsync(new PageRequest(0, 1), _harness.Cancellation)).Items[0];

    /// <summary>
    /// Frames of <paramref name="identity"/>'s fake photo, each made distinct (a camera never gives two identical JPEGs), scripted
    /// with the yaws given, a frame every 200 ms; "turn left" shown at 800 ms, "turn right" at 2000 ms.
    /// </summary>
    private LivenessBurst Burst(string identity, float[] yaws, bool flat = false, int nonce = 0) =>
        new(LeftThenRight, [800, 2000], [.. yaws.Select((yaw, i) => new LivenessFrame(
            _analyzer.Script(
                FakeFaceImages.With(new FakeFace(identity, FakeFaceImages.CentreBox) { LooksLike = $"frame {nonce}.{i}" }),
                new ScriptedFrame(yaw, Flat: flat)),
            i * 200))]);
}
