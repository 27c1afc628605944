using FaceLogin.Domain.Administration;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Reconciliation;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Support;

/// <summary>
/// The body of a child process for the crash tests: sign-up and deletion have no command-line verb (the app does them from
/// Blazor pages), so the test assembly runs itself as the child (<see cref="RunAsync"/>), and this explicit test — never run
/// by the suite — signs up or deletes through the app's own domain and stores, configured from the environment as the app
/// is. <see cref="CrashPoint"/> kills it at the point the parent armed.
/// </summary>
public sealed class CrashDriver
{
    private const string ActionVariable = "FACELOGIN_CRASH_ACTION";
    private const string ArgumentVariable = "FACELOGIN_CRASH_ARGUMENT";

    [Fact(Explicit = true)]
    public async Task Run_the_action_named_by_the_environment()
    {
        // The settings come from the environment, as the app's do (FaceLogin__DataPath, …).
        using var host = LfwImportRun.BuildDomain(new Dictionary<string, string?>());
        var cancellation = TestContext.Current.CancellationToken;
        await FaceLoginStartup.InitializeAsync(host.Services, cancellation);
        var argument = Environment.GetEnvironmentVariable(ArgumentVariable)!;
        switch (Environment.GetEnvironmentVariable(ActionVariable))
        {
            case "sign-up":
                var result = await host.Services.GetRequiredService<RegistrationService>().RegisterAsync(
                    new RegistrationRequest("Crash Test Person", ConsentGiven: true, await File.ReadAllBytesAsync(argument, cancellation)), cancellation);
                Assert.Equal(RegistrationStatus.Registered, result.Status);
                break;
            case "delete":
                Assert.True(await host.Services.GetRequiredService<AdministrationService>().DeletePersonAsync(Guid.Parse(argument), cancellation));
                break;
            default:
                Assert.Fail($"{ActionVariable} must be sign-up or delete.");
                break;
        }
    }

    /// <summary>Runs <paramref name="action"/> in a child process armed to die at <paramref name="crashPoint"/>; its exit code and output.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(
        Dictionary<string, string?> settings, string action, string argument, string crashPoint, CancellationToken cancellationToken) =>
        WebCommand.WaitAsync(
            WebCommand.StartAssembly(
                "FaceLogin.Tests.dll",
                new Dictionary<string, string?>(settings)
                {
                    [ActionVariable] = action,
                    [ArgumentVariable] = argument,
                    [CrashPoint.VariableName] = crashPoint,
                },
                "-method", $"{typeof(CrashDriver).FullName}.{nameof(Run_the_action_named_by_the_environment)}", "-explicit", "only", "-noLogo", "-noColor"),
            cancellationToken);
}
