using System.Diagnostics;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Models;

public sealed class NpmPackageInstallerTests
{
    /// <summary>
    /// Ctrl-C during a build cancels 'models prepare': npm and what it spawned must stop too (review N4). A stand-in
    /// for npm (a shell script that starts a long child and waits) makes the process tree observable and long-lived.
    /// </summary>
    [Fact]
    public async Task Cancelling_the_install_kills_npm_and_its_children()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("The test reads process states from /proc.");
            return;
        }

        using var temp = new TempFolder();
        var script = temp.Combine("npm");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nsleep 300 &\necho \"$$ $!\" > pids\nwait\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var folder = temp.Combine("install");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        int[] pids = [];
        try
        {
            var install = new NpmPackageInstaller(script).InstallAsync(folder, TextWriter.Null, cancellation.Token);
            pids = await PollAsync(() => ReadPids(Path.Combine(folder, "pids")), found => found.Length == 2, TimeSpan.FromSeconds(30));
            Assert.All(pids, pid => Assert.True(IsRunning(pid), $"process {pid} should be running before the cancellation"));

            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => install);
            var running = await PollAsync(() => pids.Where(IsRunning).ToArray(), left => left.Length == 0, TimeSpan.FromSeconds(10));
            Assert.Empty(running);
        }
        finally
        {
            foreach (var pid in pids.Where(IsRunning))
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }
        }
    }

    private static int[] ReadPids(string file)
    {
        try
        {
            return File.Exists(file)
                ? File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray()
                : [];
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return []; // the script is still writing it
        }
    }

    /// <summary>Alive and not a zombie (a killed child reparented to a container's init may stay a zombie).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<T> PollAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var value = read();
        while (!done(value) && deadline.Elapsed < timeout)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            value = read();
        }

        return value;
    }
}
