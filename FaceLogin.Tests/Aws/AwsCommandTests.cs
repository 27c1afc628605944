using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public void Every_aws_verb_is_known_to_the_entry_point()
    {
        Assert.True(CliEntryPoint.IsCommand(["import"]));
        Assert.True(CliEntryPoint.IsCommand(["provision"]));
        Assert.True(CliEntryPoint.IsCommand(["s3-function"]));
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
