using System.Text.Json.Serialization;

namespace FaceLogin.Domain.Aws.Function;

// The parts of an S3 event notification (event version 2.x) the upload function reads.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

public sealed record S3Event([property: JsonPropertyName("Records")] List<S3EventRecord>? Records);

public sealed record S3EventRecord(
    [property: JsonPropertyName("eventSource")] string? EventSource,
    [property: JsonPropertyName("eventName")] string? EventName,
    [property: JsonPropertyName("s3")] S3EventEntity? S3);

public sealed record S3EventEntity(
    [property: JsonPropertyName("bucket")] S3EventBucket? Bucket,
    [property: JsonPropertyName("object")] S3EventObject? Object);

public sealed record S3EventBucket([property: JsonPropertyName("name")] string? Name);

/// <param name="Key">URL-encoded as S3 sends it: '+' for a space, %XX for the rest.</param>
/// <param name="Size">The object's size in bytes: the function refuses an object larger than any engine accepts without reading it.</param>
public sealed record S3EventObject(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("size")] long? Size);

/// <summary>
/// What happened to one record. <see cref="Key"/> is the object key when it has the shape FaceLogin writes (ids only),
/// otherwise a hash of it (<see cref="S3UploadKeys.Redact"/>): nobody's name is ever in a summary.
/// </summary>
public sealed record S3UploadRecordResult(string? Key, string Status, string? Problem = null, IReadOnlyList<string>? Reasons = null);

/// <summary>The function's answer: counts per outcome and one line per record.</summary>
public sealed record S3UploadSummary(
    int Records,
    int Registered,
    int AlreadyImported,
    int Rejected,
    int Ignored,
    int Failed,
    IReadOnlyList<S3UploadRecordResult> Results);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3Event))]
[JsonSerializable(typeof(S3UploadSummary))]
internal sealed partial class S3EventJsonContext : JsonSerializerContext;
