using System.Diagnostics;

namespace FaceLogin.Tests.Support;

/// <summary>
/// A verb of the app (<c>FaceLogin.Web.dll import</c>, <c>reindex</c>, …) in a child process, configured as an operator would
/// configure it: settings as environment variables (<c>FaceLogin:DataPath</c> becomes <c>FaceLogin__DataPath</c>).
/// </summary>
public static class WebCommand
{
    /// <summary>Started with its output redirected; the caller waits for it (or kills it).</summary>
    public static Process Start(IEnumerable<KeyValuePair<string, string?>> settings, params string[] arguments) =>
        StartAssembly("FaceLogin.Web.dll", settings, arguments);

    /// <summary>Another assembly of the test's output folder as the child (e.g. the test assembly itself, see <see cref="CrashDriver"/>).</summary>
    public static Process StartAssembly(string assembly, IEnumerable<KeyValuePair<string, string?>> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs to the end; the exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, string[] arguments, CancellationToken cancellationToken) =>
        WaitAsync(Start(settings, arguments), cancellationToken);

    /// <summary>Waits for a child started here to end; the exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> WaitAsync(Process started, CancellationToken cancellationToken)
    {
        using var process = started;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }
}
