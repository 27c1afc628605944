using FaceLogin.Domain.DependencyInjection;

namespace FaceLogin.Web.Cli;

/// <summary>
/// Runs a verb in a generic host built from the same configuration and services as the web app,
/// so that a command sees exactly what the app would (modes, data folder, models).
/// </summary>
public static class CliEntryPoint
{
    private static readonly string[] Verbs = ["evaluate", "bench", "import", "provision", "models", "bench-search", "camera-variant", "s3-function"];

    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (Verbs.Contains(args[0], StringComparer.Ordinal) || args[0] is "help" or "--help");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        builder.Services.AddFaceLoginCommands();

        using var host = builder.Build();
        var commands = host.Services.GetServices<ICliCommand>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (args[0] is "help" or "--help" || !commands.TryGetValue(args[0], out var command))
        {
            await Console.Error.WriteLineAsync(Usage(commands.Values));
            return args[0] is "help" or "--help" ? 0 : 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return await command.RunAsync(new CliArguments(args.Skip(1)), cancellation.Token);
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{command.Name}: {ex.Message}");
            await Console.Error.WriteLineAsync(Usage([command]));
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // A misconfiguration (e.g. FaceLogin:Aws:Bucket missing with FaceLogin:Images = S3): the message names the setting.
            await Console.Error.WriteLineAsync($"{command.Name}: {string.Join(" ", ex.Failures)}");
            return 2;
        }
    }

    private static string Usage(IEnumerable<ICliCommand> commands) =>
        "usage: FaceLogin.Web <verb> [options]\n" +
        string.Join('\n', commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Name,-10} {c.Summary}"));
}
