using System.Net;
using System.Text.Json;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Function;

/// <summary>
/// The seed's S3-upload function: for every <c>ObjectCreated:*</c> record under the faces prefix, registers the image
/// through <see cref="RegistrationService.RegisterStoredImageAsync"/> — the same checks as the sign-up page (name, one
/// usable face, not somebody else's face) and the same undo. Replaying an event changes nothing (AlreadyImported).
/// A bad object is reported in the returned summary and skipped. Deployment: docs/aws.md ("The S3-upload function").
/// </summary>
public sealed class S3UploadFunction(RegistrationService registration, IOptions<AwsOptions> options, ILogger<S3UploadFunction> logger)
{
    private readonly AwsOptions _options = options.Value;

    /// <summary>
    /// Takes the S3 event JSON, returns the summary JSON. Throws <see cref="S3UploadRetryException"/> after handling every
    /// record when some failed for a reason a retry may fix (a storage error), so Lambda's retry of asynchronous
    /// invocations runs the event again; the records that succeeded are then reported as AlreadyImported.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream s3EventJson, CancellationToken cancellationToken)
    {
        S3Event? s3Event;
        try
        {
            s3Event = await JsonSerializer.DeserializeAsync(s3EventJson, S3EventJsonContext.Default.S3Event, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The input is not an S3 event notification (JSON with Records).", nameof(s3EventJson), ex);
        }

        var results = new List<S3UploadRecordResult>();
        foreach (var record in s3Event?.Records ?? [])
        {
            var result = await HandleRecordAsync(record, cancellationToken);
            // Ids and statuses only: keys are {prefix}{personId}/{imageId}.jpg and the name stays in the object's metadata.
            logger.LogInformation("S3 upload {Key}: {Status} {Problem}", result.Key, result.Status, result.Problem);
            results.Add(result);
        }

        var summary = new S3UploadSummary(
            results.Count,
            results.Count(r => r.Status == nameof(RegistrationStatus.Registered)),
            results.Count(r => r.Status == nameof(RegistrationStatus.AlreadyImported)),
            results.Count(r => r.Status is not (nameof(RegistrationStatus.Registered) or nameof(RegistrationStatus.AlreadyImported) or IgnoredStatus or nameof(RegistrationStatus.Failed))),
            results.Count(r => r.Status == IgnoredStatus),
            results.Count(r => r.Status == nameof(RegistrationStatus.Failed)),
            results);
        var json = JsonSerializer.SerializeToUtf8Bytes(summary, S3EventJsonContext.Default.S3UploadSummary);
        if (summary.Failed > 0)
        {
            throw new S3UploadRetryException(summary, System.Text.Encoding.UTF8.GetString(json));
        }

        return new MemoryStream(json, writable: false);
    }

    private const string IgnoredStatus = "Ignored";

    private async Task<S3UploadRecordResult> HandleRecordAsync(S3EventRecord record, CancellationToken cancellationToken)
    {
        var encodedKey = record.S3?.Object?.Key;
        var objectKey = encodedKey is null ? null : WebUtility.UrlDecode(encodedKey);
        if (record.EventSource != "aws:s3" || record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
        {
            return new S3UploadRecordResult(objectKey, IgnoredStatus, $"not an object-created event ({record.EventName})");
        }

        if (!string.IsNullOrEmpty(_options.Bucket) && record.S3?.Bucket?.Name != _options.Bucket)
        {
            return new S3UploadRecordResult(objectKey, IgnoredStatus, "another bucket");
        }

        var prefix = _options.NormalizedPrefix;
        if (objectKey is null || !objectKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new S3UploadRecordResult(objectKey, IgnoredStatus, $"outside the prefix '{prefix}'");
        }

        // The key must be exactly as FaceLogin writes it (lower-case hex), or the store would look for another object.
        if (!FaceImageKey.TryParse(objectKey[prefix.Length..], out var key) || key.Value != objectKey[prefix.Length..])
        {
            return new S3UploadRecordResult(objectKey, "InvalidKey", $"the key must be {prefix}{{personId:N}}/{{imageId:N}}.jpg");
        }

        try
        {
            var result = await registration.RegisterStoredImageAsync(key, cancellationToken);
            return new S3UploadRecordResult(
                objectKey,
                result.Status.ToString(),
                result.ImageProblem?.ToString(),
                result.Reasons is { Count: > 0 } reasons ? [.. reasons.Select(r => r.ToString())] : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's type only: messages of storage errors may quote request details.
            logger.LogError("S3 upload {Key}: registration failed with {ExceptionType}", objectKey, ex.GetType().Name);
            return new S3UploadRecordResult(objectKey, nameof(RegistrationStatus.Failed), ex.GetType().Name);
        }
    }
}

/// <summary>Some records failed in a way a retry may fix; <see cref="Summary"/> says which.</summary>
public sealed class S3UploadRetryException(S3UploadSummary summary, string summaryJson)
    : Exception($"{summary.Failed} of {summary.Records} S3 upload records failed and should be retried: {summaryJson}")
{
    public S3UploadSummary Summary { get; } = summary;
}
