namespace FaceLogin.Domain.Aws.Provisioning;

public enum ProvisionOutcome
{
    Created,
    Exists,
    /// <summary>It existed but a setting was missing and has been turned on (e.g. TTL, encryption, public access block).</summary>
    Updated,
    /// <summary>The endpoint does not implement the setting (a local S3 server); real AWS always does.</summary>
    NotSupported,
    /// <summary>It exists with a setting FaceLogin does not change but the operator should (e.g. bucket versioning keeps deleted photos).</summary>
    Warning,
}

/// <summary>One thing the provision command looked at, e.g. ("DynamoDB table", "facelogin-people", Created).</summary>
public sealed record ProvisionStep(string Resource, string Name, ProvisionOutcome Outcome, string? Detail = null);
