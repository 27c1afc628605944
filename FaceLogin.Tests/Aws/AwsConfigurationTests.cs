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

    /// <summary>Review-4 N3: enum binding accepts numbers, so a number that names no adapter must stop start-up, naming the setting.</summary>
    [Theory]
    [InlineData("FaceLogin:Images", "7", "Local, S3")]
    [InlineData("FaceLogin:Faces", "7", "Local, Rekognition")]
    [InlineData("FaceLogin:Directory", "-1", "Sqlite, DynamoDb")]
    public void A_port_value_that_names_no_adapter_stops_start_up_naming_the_setting(string key, string value, string choices)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?>(AllAws) { [key] = value }));

        Assert.Equal($"{key} must be one of {choices}, not '{value}'.", error.Message);
    }

    /// <summary>
    /// Review-4 N4: a service URL that is not a local server (a VPC endpoint) is signed for the region, so the region is
    /// still required; only a loopback test server waives it.
    /// </summary>
    [Theory]
    [InlineData("FaceLogin:Aws:S3ServiceUrl", "https://bucket.vpce-1a2b3c4d.s3.eu-west-1.vpce.amazonaws.com", "FaceLogin:Images = S3")]
    [InlineData("FaceLogin:Aws:RekognitionServiceUrl", "https://vpce-1a2b3c4d.rekognition.eu-west-1.vpce.amazonaws.com", "FaceLogin:Faces = Rekognition")]
    [InlineData("FaceLogin:Aws:DynamoDbServiceUrl", "https://vpce-1a2b3c4d.dynamodb.eu-west-1.vpce.amazonaws.com", "FaceLogin:Directory = DynamoDb")]
    public async Task A_service_url_that_is_not_local_still_needs_the_region(string key, string url, string when)
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_REGION")) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")))
        {
            Assert.Skip("AWS_REGION is set in this environment, which rightly satisfies the region requirement.");
        }

        var settings = new Dictionary<string, string?>(AllAws) { ["FaceLogin:Aws:Region"] = null, [key] = url };
        using var host = Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"FaceLogin:Aws:Region (or the AWS_REGION environment variable) is required when {when}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_server_needs_no_region_and_a_set_region_signs_an_overridden_endpoint()
    {
        var local = new Dictionary<string, string?>(AllAws)
        {
            ["FaceLogin:Aws:Region"] = null,
            ["FaceLogin:Aws:S3ServiceUrl"] = "http://127.0.0.1:4597/",
            ["FaceLogin:Aws:DynamoDbServiceUrl"] = "http://localhost:4598/",
            ["FaceLogin:Aws:RekognitionServiceUrl"] = "http://127.0.0.1:4599/",
        };
        using (var host = Build(local))
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal("us-east-1", host.Services.GetRequiredService<AwsClientFactory>().RekognitionEndpoint().SigningRegion);
        }

        var vpc = new Dictionary<string, string?>(AllAws) { ["FaceLogin:Aws:RekognitionServiceUrl"] = "https://vpce-1a2b3c4d.rekognition.eu-west-1.vpce.amazonaws.com" };
        using (var host = Build(vpc))
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal("eu-west-1", host.Services.GetRequiredService<AwsClientFactory>().RekognitionEndpoint().SigningRegion);
        }
    }

    [Fact]
    public void A_complete_aws_configuration_starts_and_resolves_every_adapter()
    {
        using var host = Build(AllAws);

        // Start-up's option validation only: starting the host would also open the stores (FaceLoginStartup), and there is no AWS here.
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<FaceLogin.Domain.Aws.S3.S3FaceImageStore>(host.Services.GetRequiredService<IFaceImageStore>());
        // The port is the served generation's collection, made by the Rekognition adapter's factory, behind the face-work queue.
        Assert.IsType<FaceLogin.Domain.Faces.Cost.QueuedFaceCollection>(host.Services.GetRequiredService<IFaceCollection>());
        Assert.IsType<FaceLogin.Domain.Reindexing.ServedFaceCollection>(host.Services.GetRequiredService<FaceLogin.Domain.Reindexing.ServedFaceCollection>());
        Assert.IsType<FaceLogin.Domain.Aws.Rekognition.RekognitionFaceCollections>(host.Services.GetRequiredService<IFaceCollectionFactory>());
        Assert.IsType<FaceLogin.Domain.Aws.DynamoDb.DynamoDbFaceDirectory>(host.Services.GetRequiredService<IFaceDirectory>());
        var (endpoint, region) = host.Services.GetRequiredService<AwsClientFactory>().RekognitionEndpoint();
        Assert.Equal(new Uri("https://rekognition.eu-west-1.amazonaws.com/"), endpoint);
        Assert.Equal("eu-west-1", region);
    }
}
