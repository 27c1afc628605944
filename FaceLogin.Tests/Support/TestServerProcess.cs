using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FaceLogin.Tests.Support;

/// <summary>
/// A protocol server the tests start as a child process (s3rver, DynamoDB Local): on a free loopback port, polled until
/// it answers, and killed with its whole process tree at the end. Output is kept for the failure message.
/// </summary>
public sealed class TestServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private TestServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>The folder holding the npm-installed servers (installed by the test project's build).</summary>
    public static string ServersDirectory { get; } = Path.Combine(TestEnvironment.RepoRoot, "FaceLogin.Tests", "Support", "servers");

    public static string NodeModules => Path.Combine(ServersDirectory, "node_modules");

    /// <summary>A port nobody listens on right now; the server binds it a moment later.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<TestServerProcess> StartAsync(
        string name,
        ProcessStartInfo startInfo,
        int port,
        Func<CancellationToken, Task<bool>> isReady,
        TimeSpan timeout)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new TestServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} before it was ready:\n{server.Output}");
            }

            try
            {
                if (await isReady(deadline.Token))
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException || (ex is OperationCanceledException && !deadline.IsCancellationRequested))
            {
                // Not listening yet.
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
            }

            if (deadline.IsCancellationRequested)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"{name} was not ready on port {port} after {stopwatch.Elapsed.TotalSeconds:F0} s:\n{server.Output}");
            }

            // Polling interval between readiness probes (not a wait for a result).
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 200)
            {
                _output.RemoveRange(0, 100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Skips (fails in CI) when a server did not start: first for a missing tool, else with the start-up error.</summary>
    public static void RequireStarted(TestServerProcess? server, string name, Exception? startFailure, string tool, string why)
    {
        if (server is not null)
        {
            return;
        }

        RequireTool(tool, why);
        var reason = $"{name} did not start: {startFailure?.Message}";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>Skips (fails in CI) when a tool the servers need is missing, with the reason.</summary>
    public static void RequireTool(string tool, string why)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
        if (found)
        {
            return;
        }

        var reason = $"'{tool}' is not on PATH: {why}";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }
}
