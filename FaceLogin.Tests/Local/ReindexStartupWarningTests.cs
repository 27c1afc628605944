using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Local;

/// <summary>A re-index that was started and not finished is named at start-up, with the command that finishes it.</summary>
public sealed class ReindexStartupWarningTests : IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task An_unfinished_reindex_is_reported_at_start_up_with_the_command()
    {
        var logs = new RecordingLogs();
        using var host = LfwImportRun.BuildDomain(
            new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _data.Path },
            services => services.AddSingleton<ILoggerProvider>(new RecordingLoggerProvider(logs)));
        var generations = host.Services.GetRequiredService<ICollectionGenerations>();
        await FaceLoginStartup.InitializeAsync(host.Services, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("reindex", StringComparison.Ordinal));

        await generations.BeginReindexAsync(new ReindexTarget(1, "facelogin-g1", "some-model", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await FaceLoginStartup.InitializeAsync(host.Services, TestContext.Current.CancellationToken);

        var warning = Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("reindex", StringComparison.Ordinal));
        Assert.Contains("facelogin-g1", warning.Text, StringComparison.Ordinal);
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
