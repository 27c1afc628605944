using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws;

/// <summary>Which port an AWS adapter serves: it decides which settings are required.</summary>
public enum AwsPort
{
    Images,
    Faces,
    Directory,
}

/// <summary>
/// Checks <see cref="AwsOptions"/> for one port at start-up (ValidateOnStart), so a misconfigured AWS mode fails before
/// the first request with a message that names the setting, instead of on the first upload.
/// One instance is registered per AWS port in use; the options system runs them all.
/// </summary>
public sealed partial class AwsOptionsValidator(AwsPort port) : IValidateOptions<AwsOptions>
{
    private static readonly string[] QualityFilters = ["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"];

    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var failures = new List<string>();
        var when = port switch
        {
            AwsPort.Images => "when FaceLogin:Images = S3",
            AwsPort.Faces => "when FaceLogin:Faces = Rekognition",
            _ => "when FaceLogin:Directory = DynamoDb",
        };

        switch (port)
        {
            case AwsPort.Images:
                if (string.IsNullOrWhiteSpace(options.Bucket))
                {
                    failures.Add($"FaceLogin:Aws:Bucket is required {when}.");
                }
                else if (!BucketName().IsMatch(options.Bucket))
                {
                    failures.Add($"FaceLogin:Aws:Bucket '{options.Bucket}' is not a valid S3 bucket name (3-63 lower-case letters, digits, '.' and '-').");
                }

                if (options.Prefix.StartsWith('/'))
                {
                    failures.Add("FaceLogin:Aws:Prefix must not start with '/' (S3 keys have no leading slash).");
                }

                if (options.Encryption == S3Encryption.S3 && !string.IsNullOrWhiteSpace(options.KmsKeyId))
                {
                    failures.Add("FaceLogin:Aws:KmsKeyId is set but FaceLogin:Aws:Encryption is S3; set Encryption to Kms to use the key.");
                }

                CheckUrl(options.S3ServiceUrl, "S3ServiceUrl", failures);
                CheckRegion(options, options.S3ServiceUrl, when, failures);
                break;

            case AwsPort.Faces:
                if (string.IsNullOrWhiteSpace(options.CollectionId) || !CollectionId().IsMatch(options.CollectionId))
                {
                    failures.Add($"FaceLogin:Aws:CollectionId is required {when} (1-255 of [a-zA-Z0-9_.-]).");
                }

                if (!QualityFilters.Contains(options.QualityFilter, StringComparer.Ordinal))
                {
                    failures.Add($"FaceLogin:Aws:QualityFilter must be one of {string.Join(", ", QualityFilters)}, not '{options.QualityFilter}'.");
                }

                CheckUrl(options.RekognitionServiceUrl, "RekognitionServiceUrl", failures);
                CheckRegion(options, options.RekognitionServiceUrl, when, failures);
                break;

            case AwsPort.Directory:
                CheckTable(options.PeopleTable, "PeopleTable", when, failures);
                CheckTable(options.FacesTable, "FacesTable", when, failures);
                CheckTable(options.LoginAttemptsTable, "LoginAttemptsTable", when, failures);
                if (options.LoginAttemptRetentionDays is < 1 or > 3650)
                {
                    failures.Add("FaceLogin:Aws:LoginAttemptRetentionDays must be between 1 and 3650.");
                }

                CheckUrl(options.DynamoDbServiceUrl, "DynamoDbServiceUrl", failures);
                CheckRegion(options, options.DynamoDbServiceUrl, when, failures);
                break;
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add("FaceLogin:Aws:MaxRetries must be between 0 and 20.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTable(string? table, string setting, string when, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(table) || !TableName().IsMatch(table))
        {
            failures.Add($"FaceLogin:Aws:{setting} is required {when} (3-255 of [a-zA-Z0-9_.-]).");
        }
    }

    private static void CheckUrl(string? url, string setting, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(url)
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"FaceLogin:Aws:{setting} must be an absolute http(s) URL, not '{url}'.");
        }
    }

    /// <summary>
    /// A region must be known without asking the network: the setting, the SDK's environment variables, or a profile
    /// (which may name one). EC2 instance metadata is deliberately not consulted here: Lambda and ECS set AWS_REGION.
    /// </summary>
    /// <remarks>
    /// Only a local server (a loopback URL) waives it: it ignores the signing region. A service URL that is not local (a VPC
    /// endpoint) still needs the right region, or every call fails its signature check instead of start-up failing here.
    /// </remarks>
    private static void CheckRegion(AwsOptions options, string? serviceUrl, string when, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.Region)
            && !AwsClientFactory.IsLocalServer(serviceUrl)
            && string.IsNullOrWhiteSpace(options.Profile)
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_REGION"))
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")))
        {
            failures.Add($"FaceLogin:Aws:Region (or the AWS_REGION environment variable) is required {when}.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-zA-Z0-9_.-]{1,255}$")]
    private static partial Regex CollectionId();
}
