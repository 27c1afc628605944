using System.Net;
using System.Text.Json;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;

using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Function;

/// <summary>
/// The seed's S3-upload function: for every <c>ObjectCreated:*</c> record under the faces prefix, registers the image
/// through <see cref="RegistrationService.RegisterStoredImageAsync(FaceImageKey, CancellationToken)"/> — the same checks as the sign-up page (name, one
/// usable face, not somebody else's face) and the same undo. Replaying an event changes nothing (AlreadyImported).
/// A bad object is reported in the returned summary and skipped. Deployment: docs/aws.md ("The S3-upload function").
/// </summary>
/// <remarks>
/// Object keys are chosen by whoever uploads, so a key is logged and reported only when it has the shape FaceLogin
/// writes (<c>{prefix}{personId:N}/{imageId:N}.jpg</c>: ids, no names); any other key only as a hash (<see cref="S3UploadKeys"/>).
/// </remarks>
public sealed class S3UploadFunction(
    RegistrationService registration,
    S3FaceImageStore images,
    IOptions<AwsOptions> options,
    IOptions<ImageBudgetOptions> imageBudgets,
    ILogger<S3UploadFunction> logger)
{
    private const string IgnoredStatus = "Ignored";
    private const string InvalidKeyStatus = "InvalidKey";

    private readonly AwsOptions _options = options.Value;
    private readonly long _maxImageBytes = imageBudgets.Value.Upload.MaxBytes;

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
            s3Event = await JsonSerializer.DeserializeAsync(s3EventJson, S3EventJsonContext.Default.S3Event, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The input is not an S3 event notification (JSON with Records).", nameof(s3EventJson), ex);
        }

        var results = new List<S3UploadRecordResult>();
        foreach (var record in s3Event?.Records ?? [])
        {
            var result = await HandleRecordAsync(record, cancellationToken).ConfigureAwait(false);
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

    private async Task<S3UploadRecordResult> HandleRecordAsync(S3EventRecord record, CancellationToken cancellationToken)
    {
        var encodedKey = record.S3?.Object?.Key;
        var objectKey = encodedKey is null ? null : WebUtility.UrlDecode(encodedKey);
        var prefix = _options.NormalizedPrefix;
        var parsed = S3UploadKeys.TryParse(objectKey, prefix, out var key);
        var shownKey = parsed ? S3UploadKeys.Escape(objectKey!) : S3UploadKeys.Redact(objectKey);

        if (record.EventSource != "aws:s3" || record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
        {
            return new S3UploadRecordResult(shownKey, IgnoredStatus, $"not an object-created event ({S3UploadKeys.Escape(record.EventName ?? "none", maxLength: 64)})");
        }

        if (!string.IsNullOrEmpty(_options.Bucket) && record.S3?.Bucket?.Name != _options.Bucket)
        {
            return new S3UploadRecordResult(shownKey, IgnoredStatus, "another bucket");
        }

        if (objectKey is null || !objectKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new S3UploadRecordResult(shownKey, IgnoredStatus, $"outside the prefix '{S3UploadKeys.Escape(prefix)}'");
        }

        // The key must be exactly as FaceLogin writes it (lower-case hex), or the store would look for another object.
        if (!parsed)
        {
            return new S3UploadRecordResult(shownKey, InvalidKeyStatus, $"the key must be {S3UploadKeys.Escape(prefix)}{{personId:N}}/{{imageId:N}}.jpg");
        }

        // Refused from the event alone, before any call: nothing of an object larger than the upload door accepts is read.
        // It is left in the bucket: the event may be older than the object now under the key, which a later event registers.
        if (record.S3?.Object?.Size > _maxImageBytes)
        {
            return new S3UploadRecordResult(shownKey, nameof(RegistrationStatus.BadImage), nameof(ImageProblem.TooLarge));
        }

        try
        {
            // A sign-up or import wrote it and registers it itself: handling it here too would race with that registration.
            if (await images.IsWrittenByFaceLoginAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return new S3UploadRecordResult(shownKey, IgnoredStatus, "written by FaceLogin, which registers it");
            }

            var result = await registration.RegisterStoredImageAsync(key, ImageDoor.Upload, cancellationToken).ConfigureAwait(false);
            return new S3UploadRecordResult(
                shownKey,
                result.Status.ToString(),
                result.ImageProblem?.ToString(),
                result.Reasons is { Count: > 0 } reasons ? [.. reasons.Select(r => r.ToString())] : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's type only: messages of storage errors may quote request details.
            logger.LogError("S3 upload {Key}: registration failed with {ExceptionType}", shownKey, ex.GetType().Name);
            return new S3UploadRecordResult(shownKey, nameof(RegistrationStatus.Failed), ex.GetType().Name);
        }
    }
}

/// <summary>Some records failed in a way a retry may fix; <see cref="Summary"/> says which.</summary>
public sealed class S3UploadRetryException(S3UploadSummary summary, string summaryJson)
    : Exception($"{summary.Failed} of {summary.Records} S3 upload records failed and should be retried: {summaryJson}")
{
    public S3UploadSummary Summary { get; } = summary;
}
