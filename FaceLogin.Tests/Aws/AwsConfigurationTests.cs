using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Aws;

/// <summary>AWS mode as the app wires it: settings validated at start-up with messages that name the setting.</summary>
public sealed class AwsConfigurationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        // Test credentials: the machine's AWS chain must never be consulted by a test.
        builder.Services.AddSingleton(new AWSOptions { Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret") });
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        return builder.Build();
    }

    private static readonly Dictionary<string, string?> AllAws = new()
    {
        ["FaceLogin:Images"] = "S3",
        ["FaceLogin:Faces"] = "Rekognition",
        ["FaceLogin:Directory"] = "DynamoDb",
        ["FaceLogin:Aws:Region"] = "eu-west-1",
        ["FaceLogin:Aws:Bucket"] = "acme-facelogin-faces",
    };

    [Theory]
    [InlineData("FaceLogin:Aws:Bucket", null, "FaceLogin:Aws:Bucket is required when FaceLogin:Images = S3.")]
    [InlineData("FaceLogin:Aws:Bucket", "Not_A_Bucket", "FaceLogin:Aws:Bucket 'Not_A_Bucket' is not a valid S3 bucket name")]
    [InlineData("FaceLogin:Aws:CollectionId", "", "FaceLogin:Aws:CollectionId is required when FaceLogin:Faces = Rekognition")]
    [InlineData("FaceLogin:Aws:QualityFilter", "BEST", "FaceLogin:Aws:QualityFilter must be one of NONE, AUTO, LOW, MEDIUM, HIGH, not 'BEST'.")]
    [InlineData("FaceLogin:Aws:PeopleTable", "x", "FaceLogin:Aws:PeopleTable is required when FaceLogin:Directory = DynamoDb")]
    [InlineData("FaceLogin:Aws:KmsKeyId", "alias/facelogin", "FaceLogin:Aws:KmsKeyId is set but FaceLogin:Aws:Encryption is S3")]
    [InlineData("FaceLogin:Aws:S3ServiceUrl", "localhost:4569", "FaceLogin:Aws:S3ServiceUrl must be an absolute http(s) URL")]
    public async Task A_bad_setting_stops_start_up_with_a_message_that_names_it(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(AllAws) { [key] = value };
        using var host = Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_aws_configuration_starts_and_resolves_every_adapter()
    {
        using var host = Build(AllAws);

        // Start-up's option validation only: starting the host would also open the stores (FaceLoginStartup), and there is no AWS here.
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<FaceLogin.Domain.Aws.S3.S3FaceImageStore>(host.Services.GetRequiredService<IFaceImageStore>());
        Assert.IsType<FaceLogin.Domain.Aws.Rekognition.RekognitionFaceCollection>(host.Services.GetRequiredService<IFaceCollection>());
        Assert.IsType<FaceLogin.Domain.Aws.DynamoDb.DynamoDbFaceDirectory>(host.Services.GetRequiredService<IFaceDirectory>());
        var (endpoint, region) = host.Services.GetRequiredService<AwsClientFactory>().RekognitionEndpoint();
        Assert.Equal(new Uri("https://rekognition.eu-west-1.amazonaws.com/"), endpoint);
        Assert.Equal("eu-west-1", region);
    }
}
