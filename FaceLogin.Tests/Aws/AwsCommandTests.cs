using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Aws;

/// <summary>The verbs' argument handling; what they do is tested through FaceImporter, AwsProvisioner and S3UploadFunction.</summary>
public sealed class AwsCommandTests : IDisposable
{
    private readonly ImportFolder _folder = new();
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(new string[0], "DIR is required.")]
    [InlineData(new[] { "/no/such/folder" }, "'/no/such/folder' is not a folder.")]
    public async Task Import_refuses_a_missing_folder(string[] args, string message)
    {
        var error = await Assert.ThrowsAsync<CliUsageException>(() => new ImportCommand(_services).RunAsync(new CliArguments(args), Ct));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("33")]
    [InlineData("two")]
    public async Task Import_refuses_a_parallelism_out_of_range(string parallel)
    {
        var error = await Assert.ThrowsAsync<CliUsageException>(() =>
            new ImportCommand(_services).RunAsync(new CliArguments([_folder.Root, "--parallel", parallel]), Ct));

        Assert.Contains("--parallel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_in_local_mode_has_nothing_to_do()
    {
        Assert.Equal(0, await new ProvisionCommand(_services).RunAsync(new CliArguments([]), Ct));
    }

    [Fact]
    public async Task The_s3_function_needs_the_s3_image_store()
    {
        var error = await Assert.ThrowsAsync<CliUsageException>(() =>
            new S3FunctionCommand(_services, Microsoft.Extensions.Logging.Abstractions.NullLogger<FaceLogin.Domain.Aws.Function.LambdaRuntimeLoop>.Instance)
                .RunAsync(new CliArguments(["--event", "e.json"]), Ct));

        Assert.Contains("FaceLogin:Images = S3", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Review S12: the verb list that <c>Program.cs</c> checks before building a host, against the commands the host really
    /// registers, both ways: a listed verb without a command would print the usage and exit 2, a command without a listed
    /// verb would never run.
    /// </summary>
    [Fact]
    public void Every_verb_of_the_entry_point_is_a_registered_command_and_every_command_a_verb()
    {
        using var host = CliEntryPoint.CreateBuilder().Build();

        var commands = host.Services.GetServices<ICliCommand>().Select(c => c.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(CliEntryPoint.Verbs.Order(StringComparer.Ordinal), commands);
        Assert.Subset(commands.ToHashSet(), new HashSet<string> { "import", "provision", "s3-function" });
        Assert.All(commands, verb => Assert.True(CliEntryPoint.IsCommand([verb])));
    }

    /// <summary>
    /// A verb's stdout is its result: appsettings.json's Information level (meant for the web app) must not put log lines
    /// between a command's output lines. Logs go to stderr, from Warning up, unless an environment variable asks for more.
    /// </summary>
    [Fact]
    public void Verbs_log_to_stderr_from_warning_up_whatever_appsettings_says()
    {
        var builder = CliEntryPoint.CreateBuilder();
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FaceLogin.Domain.Registration.RegistrationService");
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.Equal(LogLevel.Trace, host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.LogToStandardErrorThreshold);
        // The appsettings.json the app ships says Information, so the test above would fail without the override ...
        Assert.Equal("Information", new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build()["Logging:LogLevel:Default"]);
        // ... and environment variables come after the override, so an operator can still ask for more.
        var sources = builder.Configuration.Sources.ToList();
        var quiet = sources.FindIndex(s => s is MemoryConfigurationSource m && m.InitialData?.Any(d => d.Key == "Logging:LogLevel:Default") == true);
        Assert.InRange(quiet, sources.FindLastIndex(s => s is JsonConfigurationSource) + 1, sources.FindLastIndex(s => s is EnvironmentVariablesConfigurationSource) - 1);
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
