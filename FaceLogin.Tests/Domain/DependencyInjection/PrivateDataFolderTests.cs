using System.Runtime.Versioning;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Domain.DependencyInjection;

/// <summary>
/// The data folder (photos, face templates, cookie keys) is created for its owner only; an existing folder that others may
/// enter is reported at start-up, never changed (it may be shared with other things).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateDataFolderTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OpenToOthers = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TempFolder folder = new();

    public PrivateDataFolderTests()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only.");
        }
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_new_data_folder_is_created_for_its_owner_only()
    {
        var data = folder.Combine("a", "data");

        Assert.True(PrivateDataFolder.Ensure(data));

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(data));
    }

    [Fact]
    public void An_existing_folder_others_may_enter_is_reported_and_left_as_it_is()
    {
        var data = folder.Combine("data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, OpenToOthers);
        File.WriteAllText(Path.Combine(data, "somebody-elses.txt"), "kept");

        Assert.False(PrivateDataFolder.Ensure(data));

        Assert.Equal(OpenToOthers, File.GetUnixFileMode(data));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(data, "somebody-elses.txt")));
    }

    [Fact]
    public void An_existing_private_folder_is_accepted()
    {
        var data = folder.Combine("data");
        Directory.CreateDirectory(data, OwnerOnly);

        Assert.True(PrivateDataFolder.Ensure(data));
    }

    [Fact]
    public async Task A_starting_app_creates_its_data_folder_private_before_any_store_writes_into_it()
    {
        var data = folder.Combine("data");
        var (host, logs) = await StartAsync(data);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(data));
        Assert.True(File.Exists(Path.Combine(data, "facelogin.db")));
        Assert.DoesNotContain(logs.Lines, line => line.Text.Contains("chmod 700", StringComparison.Ordinal));
        await StopAsync(host);
    }

    [Fact]
    public async Task A_starting_app_warns_when_others_may_read_its_existing_data_folder()
    {
        var data = folder.Combine("data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, OpenToOthers);

        var (host, logs) = await StartAsync(data);

        var warning = Assert.Single(logs.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("chmod 700", StringComparison.Ordinal));
        Assert.Contains(data, warning.Text, StringComparison.Ordinal);
        Assert.Equal(OpenToOthers, File.GetUnixFileMode(data));
        await StopAsync(host);
    }

    private static async Task<(IHost Host, RecordingLogs Logs)> StartAsync(string dataPath)
    {
        var logs = new RecordingLogs();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = dataPath });
        builder.Logging.ClearProviders().AddProvider(new RecordingLoggerProvider(logs));
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch (FaceLoginStartupException ex) when (ex.InnerException is ModelsUnavailableException)
        {
            TestEnvironment.SkipOrFail($"The face models are not available ({ex.Message}).");
        }

        return (host, logs);
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync(TestContext.Current.CancellationToken);
        host.Services.GetRequiredService<SqliteFaceDirectory>().Dispose();
        host.Dispose();
    }

    private sealed class RecordingLoggerProvider(RecordingLogs logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logs.For<RecordingLoggerProvider>();

        public void Dispose()
        {
        }
    }
}
