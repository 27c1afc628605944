namespace FaceLogin.Domain.Aws;

/// <summary>
/// The <c>FaceLogin:Aws</c> section: where AWS mode keeps things. Credentials never live here: they come from the
/// standard AWS chain (environment, shared profile named by <c>FaceLogin:Aws:Profile</c>, instance/task role), and so does
/// the region unless <see cref="Region"/> is set.
/// </summary>
public sealed class AwsOptions
{
    public const string SectionName = "FaceLogin:Aws";

    /// <summary>e.g. <c>eu-west-1</c>. Empty: the AWS chain (<c>AWS_REGION</c>, profile). Read by AWSSDK.Extensions.NETCore.Setup too.</summary>
    public string? Region { get; set; }

    /// <summary>The shared-credentials profile to use; empty for the default chain. Read by AWSSDK.Extensions.NETCore.Setup.</summary>
    public string? Profile { get; set; }

    /// <summary>The bucket that holds face images (required when <c>FaceLogin:Images = S3</c>).</summary>
    public string? Bucket { get; set; }

    /// <summary>Prefix of every image key; the S3 function only indexes objects under it. Ends with '/'.</summary>
    public string Prefix { get; set; } = "faces/";

    /// <summary>Server-side encryption of stored images: <c>S3</c> (SSE-S3, AES-256) or <c>Kms</c> (SSE-KMS with <see cref="KmsKeyId"/>).</summary>
    public S3Encryption Encryption { get; set; } = S3Encryption.S3;

    /// <summary>The KMS key id or ARN for <see cref="S3Encryption.Kms"/>; empty uses the account's aws/s3 key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>People and image claims (see docs/aws.md).</summary>
    public string PeopleTable { get; set; } = "facelogin-people";

    /// <summary>The seed's table: one item per face, keyed by RekognitionId, with FullName.</summary>
    public string FacesTable { get; set; } = "facelogin-faces";

    /// <summary>Login attempts; they expire by TTL after <see cref="LoginAttemptRetentionDays"/>.</summary>
    public string LoginAttemptsTable { get; set; } = "facelogin-login-attempts";

    public int LoginAttemptRetentionDays { get; set; } = 90;

    /// <summary>The Rekognition collection (required when <c>FaceLogin:Faces = Rekognition</c>).</summary>
    public string CollectionId { get; set; } = "facelogin";

    /// <summary>Rekognition's QualityFilter for IndexFaces and SearchFacesByImage: NONE, AUTO, LOW, MEDIUM or HIGH.</summary>
    public string QualityFilter { get; set; } = "AUTO";

    /// <summary>Overrides the S3 endpoint (a local server such as s3rver); path-style addressing is used then.</summary>
    public string? S3ServiceUrl { get; set; }

    /// <summary>Overrides the DynamoDB endpoint (DynamoDB Local).</summary>
    public string? DynamoDbServiceUrl { get; set; }

    /// <summary>Overrides the Rekognition endpoint (a stub in tests).</summary>
    public string? RekognitionServiceUrl { get; set; }

    /// <summary>Retries after a throttled or failed call (exponential backoff with jitter), for every AWS client.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The prefix, normalised to end with exactly one '/' (or empty for the bucket's root).</summary>
    public string NormalizedPrefix =>
        string.IsNullOrWhiteSpace(Prefix) ? string.Empty : Prefix.Trim().TrimEnd('/') + "/";
}

public enum S3Encryption
{
    /// <summary>SSE-S3: keys managed by S3 (AES-256).</summary>
    S3,

    /// <summary>SSE-KMS: a KMS key, auditable in CloudTrail and revocable.</summary>
    Kms,
}
