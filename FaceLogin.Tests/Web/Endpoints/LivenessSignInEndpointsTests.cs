using System.Net;
using System.Net.Http.Json;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Messages;
using FaceLogin.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// The sign-in door with liveness (issue 10), end to end on a test server with the real engine and judge: POST /auth/liveness
/// hands out a challenge bound to the browser, and POST /auth/login takes a burst only with that browser's unused, unexpired
/// challenge, checks the burst's fields, and refuses a single photo where the door asks for a burst.
/// </summary>
public sealed class LivenessSignInEndpointsTests : IAsyncDisposable
{
    private readonly FaceLoginWebFactory _app = new();

    public LivenessSignInEndpointsTests()
    {
        // The door as deployed by default (Both); people are registered through the service, the operator's door.
        _app.Settings["FaceLogin:Liveness:SignIn"] = "Both";
        _app.Settings["FaceLogin:Liveness:SignUp"] = "Off";
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_challenge_comes_as_json_with_its_steps_its_expiry_and_the_servers_capture_timing_never_cached()
    {
        _app.Settings["FaceLogin:Liveness:Burst:LookMs"] = "900";
        _app.Settings["FaceLogin:Liveness:Burst:FrameMaxSide"] = "400";
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var before = DateTimeOffset.UtcNow;

        using var response = await client.PostAsync("auth/liveness", AntiforgeryForm(antiforgery), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var challenge = (await response.Content.ReadFromJsonAsync<LivenessChallengeIssued>(Cancel))!;
        Assert.False(string.IsNullOrEmpty(challenge.Token));
        Assert.InRange(challenge.Steps.Count, HeadMovementChallengeFactory.MinSteps, HeadMovementChallengeFactory.MaxSteps);
        Assert.All(challenge.Steps, step => Assert.True(Enum.TryParse<HeadMovement>(step, out _), $"Unknown step {step}."));
        Assert.InRange(challenge.ExpiresAt, before.AddSeconds(50), before.AddSeconds(70));
        Assert.Equal(new BurstTiming(900, 1200, 230, 400), challenge.Burst);

        // The shape the page's script reads: camelCase names.
        var json = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"burst\":{\"lookMs\":900,\"stepMs\":1200,\"frameIntervalMs\":230,\"frameMaxSide\":400}", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_antiforgery_token_no_challenge_is_issued()
    {
        using var client = _app.CreateBrowserLikeClient();
        await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/liveness", new MultipartFormDataContent { { new StringContent("x"), "returnUrl" } }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new FaceSignInRefused("BadRequest", SignInMessages.PageExpired), await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
    }

    [Fact]
    public async Task A_burst_with_a_forged_token_is_refused_as_an_expired_challenge_before_any_face_work()
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, "CfDJ8-forged-token", Frames(8)), Cancel);

        await AssertChallengeExpiredAsync(response);
    }

    [Fact]
    public async Task A_burst_without_a_token_is_refused_as_an_expired_challenge()
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge: null, Frames(8)), Cancel);

        await AssertChallengeExpiredAsync(response);
    }

    [Fact]
    public async Task A_challenge_answered_after_its_lifetime_is_refused()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        _app.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var challenge = await IssueAsync(client, antiforgery);

        clock.Advance(TimeSpan.FromSeconds(61));
        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8), challenge.Steps.Count), Cancel);

        await AssertChallengeExpiredAsync(response);
    }

    [Fact]
    public async Task A_challenge_answers_one_burst_only()
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var challenge = await IssueAsync(client, antiforgery);
        using var first = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8), challenge.Steps.Count), Cancel);
        Assert.NotEqual("ChallengeExpired", (await first.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Status);

        using var replay = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8, seed: 50), challenge.Steps.Count), Cancel);

        await AssertChallengeExpiredAsync(replay, attemptsBefore: 1);
    }

    [Fact]
    public async Task A_challenge_issued_to_one_browser_is_refused_from_another()
    {
        using var owner = _app.CreateBrowserLikeClient();
        var challenge = await IssueAsync(owner, await FaceLoginWebFactory.GetAntiforgeryTokenAsync(owner, Cancel));
        using var other = _app.CreateBrowserLikeClient();
        var otherAntiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(other, Cancel);

        using var response = await other.PostAsync("auth/login", BurstForm(otherAntiforgery, challenge.Token, Frames(8), challenge.Steps.Count), Cancel);

        await AssertChallengeExpiredAsync(response);
    }

    [Fact]
    public async Task A_burst_with_a_valid_challenge_is_judged_with_the_steps_the_server_issued_and_a_repeated_picture_is_not_live()
    {
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var challenge = await IssueAsync(client, antiforgery);
        // A registered person's photo, sent as every frame: what a still picture in front of the camera gives.
        var photo = TestPeople.Read(TestPeople.A.SignInPhoto);

        using var response = await client.PostAsync(
            "auth/login", BurstForm(antiforgery, challenge.Token, [.. Enumerable.Repeat(photo, 8)], challenge.Steps.Count), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refusal = (await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!;
        Assert.Equal("NotLive", refusal.Status);
        Assert.Equal(LivenessFeedback.LiveFaceNeeded, refusal.Message);
        Assert.Null(AuthEndpointsTests.AuthCookie(response));
        var attempts = await _app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new(0, 10), Cancel);
        Assert.Equal(LoginOutcome.NotLive, Assert.Single(attempts.Items).Outcome);
    }

    [Fact]
    public async Task A_single_photo_where_the_door_asks_for_a_burst_is_told_to_follow_the_arrows()
    {
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(TestPeople.Read(TestPeople.A.SignInPhoto), antiforgery), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(new FaceSignInRefused("NotLive", LivenessFeedback.FollowTheArrows), await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        Assert.Null(AuthEndpointsTests.AuthCookie(response));
    }

    [Fact]
    public async Task The_single_photo_still_signs_in_where_the_door_asks_for_no_burst()
    {
        _app.Settings["FaceLogin:Liveness:SignIn"] = "Off";
        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(TestPeople.Read(TestPeople.A.SignInPhoto), antiforgery), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(AuthEndpointsTests.AuthCookie(response));
    }

    [Theory]
    [InlineData("0,230,460,690,920,1150,1380", "800,2000", "frameTimes")] // one time short of the 8 frames
    [InlineData("0,230,460,690,920,1150,1380,x", "800,2000", "frameTimes")]
    [InlineData("0,230,460,690,920,1150,1380,-5", "800,2000", "frameTimes")]
    [InlineData("0, 230,460,690,920,1150,1380,1610", "800,2000", "frameTimes")]
    [InlineData("0,230,460,690,920,1150,1380,1610", "", "stepTimes")]
    [InlineData("0,230,460,690,920,1150,1380,1610", "800;2000", "stepTimes")]
    public async Task Malformed_times_are_a_bad_request_naming_the_field_and_use_up_no_challenge(string frameTimes, string stepTimes, string field)
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var challenge = await IssueAsync(client, antiforgery);

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8), frameTimes: frameTimes, stepTimes: stepTimes), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new FaceSignInRefused("BadRequest", SignInMessages.BurstMalformed(field)), await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        // The fields are read before the challenge is redeemed: the page's next, well-formed post still answers it.
        using var next = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8), challenge.Steps.Count), Cancel);
        Assert.NotEqual("ChallengeExpired", (await next.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Status);
    }

    [Fact]
    public async Task Step_times_that_do_not_match_the_challenges_steps_are_a_bad_request()
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var challenge = await IssueAsync(client, antiforgery);

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, challenge.Token, Frames(8), steps: challenge.Steps.Count + 1), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SignInMessages.BurstMalformed("stepTimes"), (await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Message);
    }

    [Fact]
    public async Task Frames_over_the_doors_byte_limit_together_are_a_bad_request_stating_it()
    {
        // Each frame fits the door's byte limit, the eight together do not.
        var frames = Frames(8);
        var maxBytes = frames.Max(f => f.Length) + 1;
        _app.Settings["FaceLogin:ImageBudgets:SignIn:MaxBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, "any", frames), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SignInMessages.BurstTooLarge(maxBytes), (await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Message);
    }

    [Fact]
    public async Task A_frame_over_the_doors_pixel_budget_is_a_bad_request_from_its_header()
    {
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        byte[][] frames = [.. Frames(7), ImageHeaders.Png(7300, 5480)];

        using var response = await client.PostAsync("auth/login", BurstForm(antiforgery, "any", frames), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FaceFeedback.TooManyPixels(7300, 5480, 4_000_000), (await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Message);
    }

    [Fact]
    public async Task A_burst_is_charged_its_frames_summed_megapixels_and_past_the_budget_answers_429()
    {
        // Eight 640×480 frames are 2.5 MP: 3 units. A budget of 4 takes one burst, not two.
        _app.Settings["FaceLogin:Web:FaceWorkUnitLimit"] = "4";
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        var first = await IssueAsync(client, antiforgery);
        using var charged = await client.PostAsync("auth/login", BurstForm(antiforgery, first.Token, Frames(8), first.Steps.Count), Cancel);
        var second = await IssueAsync(client, antiforgery);
        using var refused = await client.PostAsync("auth/login", BurstForm(antiforgery, second.Token, Frames(8, seed: 90), second.Steps.Count), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, charged.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(FaceSignInRefused.WorkLimit, await refused.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        Assert.Equal(3, FaceWorkMeter.CostOf([.. Frames(8).Select(f => (ReadOnlyMemory<byte>)f)], 4_000_000));
    }

    [Fact]
    public async Task A_fixed_challenge_is_warned_about_at_start_up()
    {
        _app.Settings["FaceLogin:Liveness:Challenge:FixedSteps:0"] = "TurnLeft";
        _app.Settings["FaceLogin:Liveness:Challenge:FixedSteps:1"] = "TurnRight";
        using var client = _app.CreateBrowserLikeClient();
        var antiforgery = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        var challenge = await IssueAsync(client, antiforgery);

        Assert.Equal(["TurnLeft", "TurnRight"], challenge.Steps);
        Assert.Contains(_app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("FixedSteps is set (TurnLeft,TurnRight)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_fixed_challenge_nothing_is_warned()
    {
        using var client = _app.CreateBrowserLikeClient();
        await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        Assert.DoesNotContain(_app.Logs.Entries, e => e.Message.Contains("FixedSteps", StringComparison.Ordinal));
    }

    private async Task<LivenessChallengeIssued> IssueAsync(HttpClient client, string antiforgery)
    {
        using var response = await client.PostAsync("auth/liveness", AntiforgeryForm(antiforgery), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LivenessChallengeIssued>(Cancel))!;
    }

    /// <param name="attemptsBefore">Attempts recorded before the refused post (a first answer that was judged).</param>
    private async Task AssertChallengeExpiredAsync(HttpResponseMessage response, int attemptsBefore = 0)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(FaceSignInRefused.ChallengeExpired, await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        Assert.Null(AuthEndpointsTests.AuthCookie(response));
        // Refused before the face question: nothing recorded, nothing counted.
        var attempts = await _app.Services.GetRequiredService<AdministrationService>().ListLoginAttemptsAsync(new(0, 10), Cancel);
        Assert.Equal(attemptsBefore, attempts.TotalCount);
    }

    private static MultipartFormDataContent AntiforgeryForm(string antiforgery) => new() { { new StringContent(antiforgery), "__RequestVerificationToken" } };

    /// <summary>The page's burst: the frames one every 230 ms and the steps shown after an 800 ms look phase, unless given.</summary>
    private static MultipartFormDataContent BurstForm(
        string antiforgery, string? challenge, IReadOnlyList<byte[]> frames, int steps = 2, string? frameTimes = null, string? stepTimes = null)
    {
        var form = AntiforgeryForm(antiforgery);
        if (challenge is not null)
        {
            form.Add(new StringContent(challenge), "challenge");
        }

        for (var i = 0; i < frames.Count; i++)
        {
            var frame = new ByteArrayContent(frames[i]);
            frame.Headers.ContentType = new("image/jpeg");
            form.Add(frame, "frames", $"frame-{i}.jpg");
        }

        form.Add(new StringContent(frameTimes ?? string.Join(',', Enumerable.Range(0, frames.Count).Select(i => i * 230))), "frameTimes");
        form.Add(new StringContent(stepTimes ?? string.Join(',', Enumerable.Range(0, steps).Select(i => 800 + (i * 1200)))), "stepTimes");
        return form;
    }

    /// <summary>Distinct 640×480 camera-like JPEGs (no face): noise, so that each is a different, incompressible picture.</summary>
    private static byte[][] Frames(int count, int seed = 7)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            using var bitmap = new SKBitmap(640, 480);
            var pixels = new byte[640 * 480 * 4];
            random.NextBytes(pixels);
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
            return data.ToArray();
        })];
    }
}
