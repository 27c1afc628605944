using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.RealEngine;

/// <summary>
/// The default thresholds against many different real people, not one hand-picked pair: at default options, nobody is
/// refused as "already registered" for somebody else's face, and no stranger signs in as anybody. Review B1's probe,
/// kept as a guard: 20 lfw-dev identities sign up, 10 others try to sign in with two photos each.
/// </summary>
public sealed class FalseAcceptGuardTests(LocalEngineFixture engineFixture) : IClassFixture<LocalEngineFixture>, IDisposable
{
    private const int Registered = 20;
    private const int Strangers = 10;

    private DomainHarness? harness;

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => harness?.Dispose();

    [Fact]
    public async Task At_default_thresholds_distinct_people_are_neither_duplicates_nor_let_in_as_each_other()
    {
        // Lock-out is not what this measures: every stranger photo must reach the search.
        harness = engineFixture.Harness(authentication: o => o.MaxFailedAttempts = 10_000);
        var people = Directory.EnumerateDirectories(TestEnvironment.DatasetPath)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => (Name: name!, Photos: Directory.EnumerateFiles(Path.Combine(TestEnvironment.DatasetPath, name!), "*.jpg").Order(StringComparer.Ordinal).ToArray()))
            .Where(p => p.Photos.Length >= 2)
            .Take(Registered + Strangers)
            .ToArray();
        Assert.Equal(Registered + Strangers, people.Length);

        var signUps = new List<(string Person, RegistrationResult Result)>();
        foreach (var (name, photos) in people.Take(Registered))
        {
            var result = await harness.Registration.RegisterAsync(new RegistrationRequest(name.Replace('_', ' '), true, File.ReadAllBytes(photos[0])), Cancellation);
            signUps.Add((name, result));
        }

        var signIns = new List<(string Photo, AuthenticationOutcome Result)>();
        foreach (var (_, photos) in people.Skip(Registered))
        {
            foreach (var photo in photos.Take(2))
            {
                var result = await harness.SignInAsync(File.ReadAllBytes(photo));
                signIns.Add((Path.GetFileName(photo), new AuthenticationOutcome(result.Outcome, result.Person?.FullName, result.Similarity)));
            }
        }

        var falseDuplicates = signUps.Where(s => s.Result.Status == RegistrationStatus.AlreadyRegistered).Select(s => s.Person).ToArray();
        var falseAccepts = signIns.Where(s => s.Result.Outcome == LoginOutcome.SignedIn).Select(s => $"{s.Photo} as {s.Result.As} ({s.Result.Similarity:F1})").ToArray();
        Assert.True(falseDuplicates.Length == 0 && falseAccepts.Length == 0,
            $"{falseDuplicates.Length} of {Registered} refused as already registered ({string.Join(", ", falseDuplicates)}); " +
            $"{falseAccepts.Length} of {signIns.Count} stranger photos signed in ({string.Join(", ", falseAccepts)})");
        // Not vacuous: most people registered and most stranger photos were searched and refused.
        Assert.True(signUps.Count(s => s.Result.Succeeded) >= 15, string.Join(", ", signUps.Select(s => $"{s.Person}: {s.Result.Status}")));
        Assert.True(signIns.Count(s => s.Result.Outcome == LoginOutcome.NotRecognised) >= 15, string.Join(", ", signIns.Select(s => $"{s.Photo}: {s.Result.Outcome}")));
    }

    private sealed record AuthenticationOutcome(LoginOutcome Outcome, string? As, float? Similarity);
}
