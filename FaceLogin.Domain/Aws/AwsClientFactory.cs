using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws;

/// <summary>
/// Builds the SDK clients from <see cref="AwsOptions"/> and the standard AWS chain (<see cref="AWSOptions"/> from
/// AWSSDK.Extensions.NETCore.Setup: profile, environment, container/instance role). Service URLs, when set, point a
/// client at a local server (s3rver, DynamoDB Local) and sign for the configured region or us-east-1.
/// </summary>
public sealed class AwsClientFactory(IOptions<AwsOptions> options, AWSOptions sdkOptions)
{
    private const string LocalSigningRegion = "us-east-1";

    private readonly Lazy<AWSCredentials> _credentials = new(() => sdkOptions.Credentials ?? sdkOptions.GetCredentials());

    public AWSCredentials Credentials => _credentials.Value;

    /// <summary>The region from the settings, then the SDK options (profile), then AWS_REGION / the SDK's fallback chain.</summary>
    public RegionEndpoint ResolveRegion()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Region))
        {
            return RegionEndpoint.GetBySystemName(options.Value.Region);
        }

        return sdkOptions.Region
            ?? FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new InvalidOperationException("No AWS region: set FaceLogin:Aws:Region or AWS_REGION.");
    }

    public IAmazonS3 CreateS3()
    {
        var config = new AmazonS3Config { MaxErrorRetry = options.Value.MaxRetries, RetryMode = RequestRetryMode.Standard };
        if (!string.IsNullOrWhiteSpace(options.Value.S3ServiceUrl))
        {
            config.ServiceURL = options.Value.S3ServiceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = SigningRegionFor(options.Value.S3ServiceUrl);
        }
        else
        {
            config.RegionEndpoint = ResolveRegion();
        }

        return new AmazonS3Client(Credentials, config);
    }

    public IAmazonDynamoDB CreateDynamoDb()
    {
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = options.Value.MaxRetries, RetryMode = RequestRetryMode.Standard };
        if (!string.IsNullOrWhiteSpace(options.Value.DynamoDbServiceUrl))
        {
            config.ServiceURL = options.Value.DynamoDbServiceUrl;
            config.AuthenticationRegion = SigningRegionFor(options.Value.DynamoDbServiceUrl);
        }
        else
        {
            config.RegionEndpoint = ResolveRegion();
        }

        return new AmazonDynamoDBClient(Credentials, config);
    }

    /// <summary>Rekognition's endpoint and signing region: the override, else <c>https://rekognition.{region}.amazonaws.com/</c>.</summary>
    public (Uri Endpoint, string SigningRegion) RekognitionEndpoint()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.RekognitionServiceUrl))
        {
            return (new Uri(options.Value.RekognitionServiceUrl), SigningRegionFor(options.Value.RekognitionServiceUrl));
        }

        // China regions live under their own DNS suffix; every other commercial and GovCloud region under amazonaws.com.
        var region = ResolveRegion().SystemName;
        var dnsSuffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return (new Uri($"https://rekognition.{region}.{dnsSuffix}/"), region);
    }

    /// <summary>True for a loopback http(s) URL: a local test server, which accepts any signing region.</summary>
    public static bool IsLocalServer(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>
    /// The region requests to an overridden endpoint are signed for: the setting, else the SDK's region (environment,
    /// profile) for a real endpoint such as a VPC endpoint, and a fixed one only for a local server, which ignores it.
    /// </summary>
    private string SigningRegionFor(string serviceUrl) =>
        !string.IsNullOrWhiteSpace(options.Value.Region) ? options.Value.Region
        : IsLocalServer(serviceUrl) ? LocalSigningRegion
        : ResolveRegion().SystemName;
}
