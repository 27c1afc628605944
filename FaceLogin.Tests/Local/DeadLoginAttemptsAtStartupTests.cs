using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Local;

/// <summary>
/// Issue 9 point 4: nine "in progress" rows left by a killed process locked their address out after a restart. Start-up now
/// expires attempts in progress older than a request can live, and leaves younger ones (another live instance's) alone.
/// Real SQLite directory in a data folder, started as the app starts it.
/// </summary>
public sealed class DeadLoginAttemptsAtStartupTests : IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task Start_up_expires_attempts_a_dead_process_left_in_progress_and_their_address_is_not_held()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new RecordingLogs();
        using var host = LfwImportRun.BuildDomain(
            new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _data.Path },
            services => services.AddSingleton<ILoggerProvider>(new RecordingLoggerProvider(logs)));
        var directory = host.Services.GetRequiredService<IFaceDirectory>();
        var now = DateTimeOffset.UtcNow;
        var roomy = new AddressThrottle(new AuthenticationOptions { MaxFailedAttempts = 100 });
        const string address = "192.0.2.99";
        for (var i = 0; i < 9; i++)
        {
            Assert.True((await directory.TryStartLoginAttemptAsync(Guid.NewGuid(), address, now.AddMinutes(-10).AddSeconds(i), roomy, ct)).IsAdmitted);
        }

        // A request another live instance is deciding right now.
        Assert.True((await directory.TryStartLoginAttemptAsync(Guid.NewGuid(), "192.0.2.100", now, roomy, ct)).IsAdmitted);

        await FaceLoginStartup.InitializeAsync(host.Services, ct);

        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Information && l.Text.Contains("Expired 9 sign-in attempts", StringComparison.Ordinal));
        Assert.Equal(1, await directory.ExpireLoginAttemptsInProgressAsync(DateTimeOffset.MaxValue, ct));
        var strict = new AddressThrottle(new AuthenticationOptions { MaxFailedAttempts = 1 });
        Assert.True((await directory.TryStartLoginAttemptAsync(Guid.NewGuid(), address, now, strict, ct)).IsAdmitted);
    }

    public void Dispose() => _data.Dispose();

    private sealed class RecordingLoggerProvider(RecordingLogs logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logs.For<RecordingLoggerProvider>();

        public void Dispose()
        {
        }
    }
}
