using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Messages;

namespace FaceLogin.Tests.Web.Components;

/// <summary>Every status a person can meet has its own message: two different problems never read the same.</summary>
public sealed class MessagesTests
{
    [Fact]
    public void Every_registration_status_has_its_own_fallback_message()
    {
        var messages = Enum.GetValues<RegistrationStatus>().Select(RegistrationMessages.Fallback).ToList();

        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(messages.Count, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_services_wording_wins_and_the_fallback_fills_a_gap()
    {
        Assert.Equal("from the service", RegistrationMessages.For(new RegistrationResult(RegistrationStatus.NoFace, "from the service")));
        Assert.Equal(RegistrationMessages.Fallback(RegistrationStatus.Failed), RegistrationMessages.For(new RegistrationResult(RegistrationStatus.Failed, " ")));
        Assert.Equal("said", SignInMessages.For(new AuthenticationResult(LoginOutcome.NoFace, "said")));
        Assert.Equal(SignInMessages.Fallback(LoginOutcome.LockedOut), SignInMessages.For(new AuthenticationResult(LoginOutcome.LockedOut, "")));
    }

    [Fact]
    public void Every_sign_in_outcome_has_its_own_fallback_message()
    {
        var messages = Enum.GetValues<LoginOutcome>().Select(SignInMessages.Fallback).ToList();

        Assert.Equal(messages.Count, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Every_sign_up_status_the_service_returns_reads_differently()
    {
        using var harness = new DomainHarness();
        const string address = "192.0.2.50";
        await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var results = new List<RegistrationResult>
        {
            await harness.SignUpFromAsync(address, "Grace Hopper", FakeFaceImages.Of("grace")),
            await harness.SignUpFromAsync(address, " ", FakeFaceImages.Of("x")),
            await harness.Registration.RegisterAsync(new RegistrationRequest("No Consent", false, FakeFaceImages.Of("x"), address), harness.Cancellation),
            await harness.SignUpFromAsync(address, "Bad Image", FakeFaceImages.NotAnImage()),
            await harness.SignUpFromAsync(address, "No Face", FakeFaceImages.WithoutFace()),
            await harness.SignUpFromAsync(address, "Two Faces", FakeFaceImages.With(
                new FakeFace("a", FakeFaceImages.CentreBox), new FakeFace("b", new FaceLogin.Domain.Faces.BoundingBox(0, 0, 0.3f, 0.3f)))),
            await harness.SignUpFromAsync(address, "Tiny Face", FakeFaceImages.With(
                new FakeFace("tiny", new FaceLogin.Domain.Faces.BoundingBox(0.5f, 0.5f, 0.05f, 0.05f)))),
        };
        harness.ImageFaults.FailBefore(nameof(FaceLogin.Domain.Ports.IFaceImageStore.PutAsync));
        results.Add(await harness.SignUpFromAsync("192.0.2.51", "Storage Fails", FakeFaceImages.Of("storage")));
        harness.ImageFaults.Clear();
        for (var i = 0; i < harness.AuthenticationOptions.MaxFailedAttempts; i++)
        {
            results.Add(await harness.SignUpFromAsync("192.0.2.52", "Eve", FakeFaceImages.Of("ada")));
        }

        results.Add(await harness.SignUpFromAsync("192.0.2.52", "Eve", FakeFaceImages.Of("eve")));

        var byStatus = results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => RegistrationMessages.For(g.First()));
        Assert.Equal(
            [RegistrationStatus.Registered, RegistrationStatus.InvalidName, RegistrationStatus.ConsentMissing, RegistrationStatus.BadImage,
             RegistrationStatus.NoFace, RegistrationStatus.MultipleFaces, RegistrationStatus.PoorQuality, RegistrationStatus.AlreadyRegistered,
             RegistrationStatus.Failed, RegistrationStatus.LockedOut],
            byStatus.Keys.Order());
        Assert.Equal(byStatus.Count, byStatus.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Every_sign_in_outcome_the_service_returns_reads_differently()
    {
        using var harness = new DomainHarness();
        await harness.RegisterAsync("Ada Lovelace", FakeFaceImages.Of("ada"));
        var results = new List<AuthenticationResult>
        {
            await harness.SignInAsync(FakeFaceImages.Of("ada")),
            await harness.SignInAsync(FakeFaceImages.WithoutFace()),
            await harness.SignInAsync(FakeFaceImages.With(
                new FakeFace("a", FakeFaceImages.CentreBox), new FakeFace("b", new FaceLogin.Domain.Faces.BoundingBox(0, 0, 0.3f, 0.3f)))),
            await harness.SignInAsync(FakeFaceImages.With(new FakeFace("ada", new FaceLogin.Domain.Faces.BoundingBox(0.5f, 0.5f, 0.05f, 0.05f)))),
            await harness.SignInAsync(FakeFaceImages.NotAnImage()),
        };
        for (var i = 0; i <= harness.AuthenticationOptions.MaxFailedAttempts; i++)
        {
            results.Add(await harness.SignInAsync(FakeFaceImages.Of($"stranger-{i}"), "198.51.100.60"));
        }

        var (grace, _) = await harness.RegisterAsync("Grace Hopper", FakeFaceImages.Of("grace"));
        await harness.Directory.RecordNearMatchAsync(grace.Id, DateTimeOffset.UtcNow, suspendAfter: 1, harness.Cancellation);
        results.Add(await harness.SignInAsync(FakeFaceImages.Of("grace"), "198.51.100.61"));

        // A single photo at a door that asks for a burst (with a liveness judge, the harness's doors ask for one).
        using (var liveness = new DomainHarness(liveness: new ScriptedLivenessAnalyzer()))
        {
            results.Add(await liveness.SignInAsync(FakeFaceImages.Of("ada")));
        }

        var byOutcome = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => SignInMessages.For(g.First()));
        // A known device's attempts are told SignedIn or NotRecognised; only the attempt log records them as such.
        Assert.Equal(
            Enum.GetValues<LoginOutcome>().Except(
                [LoginOutcome.SignedUp, LoginOutcome.AlreadyRegistered, LoginOutcome.SignedInOnKnownDevice, LoginOutcome.KnownDeviceNotRecognised]).Order(),
            byOutcome.Keys.Order());
        Assert.Equal(byOutcome.Count, byOutcome.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_camera_problem_has_its_own_message_and_the_script_gets_them_all()
    {
        var problems = Enum.GetValues<CameraStatus>().Where(s => s != CameraStatus.Live).ToList();

        Assert.Equal(problems.Count, problems.Select(CameraMessages.For).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(problems.Select(p => p.ToString()).Order(), CameraMessages.ForScript().Keys.Order());
    }
}
