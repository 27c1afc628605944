using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces.Cost;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace FaceLogin.Web.Cli;

/// <summary>
/// Runs a verb in a generic host built from the same configuration and services as the web app,
/// so that a command sees exactly what the app would (modes, data folder, models).
/// </summary>
public static class CliEntryPoint
{
    /// <summary>The verbs, known before the host is built (Program.cs asks on every start); a test checks them against the registered commands.</summary>
    internal static readonly string[] Verbs = ["evaluate", "bench", "import", "provision", "models", "bench-search", "camera-variant", "s3-function", "reindex", "reconcile", "evaluate-pad", "make-pad-attacks"];

    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (Verbs.Contains(args[0], StringComparer.Ordinal) || args[0] is "help" or "--help");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["models", "prepare", ..])
        {
            // Prepare makes the models other services load when the host resolves the commands: after a pin or converter
            // change (a new cache folder) building the host first would fail on the very models it is asked to make.
            return await ModelsCommand.PrepareAsync(new CliArguments(args.Skip(1)).Get("packages"), CancellationToken.None);
        }

        var builder = CreateBuilder();

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
            if (command.Name is "import" or "reconcile")
            {
                // The stores are checked (and migrated) before the command touches them: a missing table is named up front.
                await FaceLoginStartup.InitializeAsync(host.Services, cancellation.Token);
            }

            return await command.RunAsync(new CliArguments(args.Skip(1)), cancellation.Token);
        }
        catch (FaceLoginStartupException ex)
        {
            await Console.Error.WriteLineAsync($"{command.Name}: {ex.Message}");
            return 2;
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

    /// <summary>The host every verb runs in: the app's configuration and domain, plus the commands.</summary>
    internal static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        QuietLogging(builder);
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        builder.Services.AddFaceLoginCommands();
        // A command is the operator's own process and its only competitor for face work is itself: an import or the S3-upload
        // function waits for its turn as long as it takes, where the web app refuses as busy after a short wait.
        builder.Services.PostConfigure<FaceWorkOptions>(o => o.MaxWaitMilliseconds = Timeout.Infinite);
        return builder;
    }

    /// <summary>
    /// A verb's stdout is its result (a summary, JSON) and may be piped: logs go to stderr, and only from Warning up.
    /// appsettings.json sets <c>Logging:LogLevel:Default = Information</c> for the web app, which would override
    /// <see cref="LoggingBuilderExtensions.SetMinimumLevel"/>; so Warning is set as configuration right after the JSON
    /// files, where environment variables still override it (<c>Logging__LogLevel__Default=Information</c>).
    /// </summary>
    private static void QuietLogging(HostApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var lastJson = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            lastJson = sources[i] is JsonConfigurationSource ? i : lastJson;
        }

        sources.Insert(lastJson + 1, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Default", nameof(LogLevel.Warning))],
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static string Usage(IEnumerable<ICliCommand> commands) =>
        "usage: FaceLogin.Web <verb> [options]\n" +
        string.Join('\n', commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Name,-10} {c.Summary}"));
}
