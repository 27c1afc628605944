using System.Text.Json;
using Amazon.Extensions.NETCore.Setup;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// Review S13: the <c>s3-function</c> verb inside Lambda. A function that cannot start (bad configuration) must say so
/// to the Runtime API's <c>init/error</c>, so that Lambda shows the reason instead of "Runtime exited".
/// </summary>
public sealed class S3FunctionCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The function's services as the app wires them, with the given settings (no AWS server is contacted).</summary>
    private static ServiceProvider Services(string runtimeApi, IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [S3FunctionCommand.RuntimeApiVariable] = runtimeApi,
                ["FaceLogin:Aws:Region"] = "eu-west-1",
                ["FaceLogin:Aws:DynamoDbServiceUrl"] = "http://127.0.0.1:9",
                ["FaceLogin:Aws:S3ServiceUrl"] = "http://127.0.0.1:9",
            })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(new AWSOptions { Credentials = S3rverFixture.Credentials });
        services.AddSingleton<IFaceCollection>(new FakeFaceCollection());
        services.AddOptions<FaceLoginOptions>().Bind(configuration.GetSection(FaceLoginOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddFaceLoginServices(configuration);
        services.AddDynamoDbDirectory(configuration);
        if (configuration["FaceLogin:Images"] == "S3")
        {
            services.AddS3ImageStore(configuration);
        }

        return services.BuildServiceProvider();
    }

    public static TheoryData<string, string, string> Misconfigurations => new()
    {
        { "S3", nameof(OptionsValidationException), "FaceLogin:Aws:Bucket is required when FaceLogin:Images = S3." },
        { "Local", nameof(CliUsageException), "The S3-upload function needs FaceLogin:Images = S3." },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task A_function_that_cannot_start_reports_why_to_the_runtime_apis_init_error(string images, string errorType, string message)
    {
        await using var api = LambdaRuntimeApiStub.Start();
        await using var services = Services(api.Address, new Dictionary<string, string?> { ["FaceLogin:Images"] = images });
        var command = new S3FunctionCommand(services, NullLogger<LambdaRuntimeLoop>.Instance);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => command.RunAsync(new CliArguments([]), Ct));

        Assert.Equal(errorType, thrown.GetType().Name);
        var (method, path, functionErrorType, body) = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/2018-06-01/runtime/init/error", "Unhandled"), (method, path, functionErrorType));
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal(errorType, error.GetProperty("errorType").GetString());
        Assert.Contains(message, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_starts_serves_the_runtime_api_and_reports_no_init_error()
    {
        await using var api = LambdaRuntimeApiStub.Start();
        await using var services = Services(api.Address, new Dictionary<string, string?> { ["FaceLogin:Images"] = "S3", ["FaceLogin:Aws:Bucket"] = "facelogin-test" });
        var command = new S3FunctionCommand(services, NullLogger<LambdaRuntimeLoop>.Instance);

        // The stub answers invocation/next with 410 Gone, which ends the loop.
        Assert.Equal(0, await command.RunAsync(new CliArguments([]), Ct));

        var (method, path, _, _) = Assert.Single(api.Requests);
        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (method, path));
    }

    [Fact]
    public async Task Outside_lambda_without_an_event_file_it_is_a_usage_error()
    {
        await using var services = Services(runtimeApi: "", new Dictionary<string, string?> { ["FaceLogin:Images"] = "S3", ["FaceLogin:Aws:Bucket"] = "facelogin-test" });

        var error = await Assert.ThrowsAsync<CliUsageException>(() => new S3FunctionCommand(services, NullLogger<LambdaRuntimeLoop>.Instance).RunAsync(new CliArguments([]), Ct));

        Assert.Contains(S3FunctionCommand.RuntimeApiVariable, error.Message, StringComparison.Ordinal);
    }
}
