using System.Runtime.Versioning;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Web;

/// <summary>
/// The web app started as an operator starts it (a child process) on a data folder it cannot write: it ends with one paragraph
/// that names the folder and what to do, and exit code 1 — not an abort (exit 134, SIGABRT) with a stack trace.
/// </summary>
/// <remarks>
/// The folder is made read-only the way that binds for the user running the tests: mode 0500 for an ordinary user; for root,
/// whom file modes do not stop, a read-only file system mounted on it (CI runs as root). Skipped only when neither can be had.
/// </remarks>
[UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyDataFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private TmpfsMount? _mounted;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (_mounted is not null)
        {
            _mounted.Dispose();
        }
        else if (Directory.Exists(_folder.Combine("data")))
        {
            File.SetUnixFileMode(_folder.Combine("data"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task The_app_on_a_read_only_data_folder_says_which_folder_and_what_to_do_and_exits_with_1()
    {
        var data = MakeReadOnlyFolder();

        using var app = WebCommand.Start(new Dictionary<string, string?>
        {
            ["FaceLogin:DataPath"] = data,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        var output = app.StandardOutput.ReadToEndAsync(Cancel);
        var errors = app.StandardError.ReadToEndAsync(Cancel);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await app.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            app.Kill(entireProcessTree: true);
            Assert.Fail("The app kept running on a data folder it cannot write.");
        }

        var said = await output + await errors;
        Assert.True(app.ExitCode == 1, $"Exit code {app.ExitCode}:\n{said}");
        Assert.Contains($"data folder {data} (setting FaceLogin:DataPath) cannot be written", said, StringComparison.Ordinal);
        Assert.Contains("FaceLogin__DataPath", said, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", said, StringComparison.Ordinal);
    }

    private string MakeReadOnlyFolder()
    {
        var data = _folder.Combine("data");
        Directory.CreateDirectory(data);
        if (!TmpfsMount.IsRoot)
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return data;
        }

        _mounted = TmpfsMount.TryMount(data, "ro,size=64k", out var problem);
        if (_mounted is null)
        {
            Assert.Skip($"Running as root, whom file modes do not stop, and a read-only file system cannot be had here ({problem}).");
        }

        return data;
    }
}
