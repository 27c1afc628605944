using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Aws.Rekognition;

/// <param name="Endpoint">e.g. <c>https://rekognition.eu-west-1.amazonaws.com/</c>.</param>
/// <param name="SigningRegion">The region in the SigV4 credential scope.</param>
/// <param name="MaxRetries">Retries after a throttled call, and for idempotent operations after a 5xx or a broken connection.</param>
/// <param name="BaseDelay">First backoff cap; doubled each retry up to <paramref name="MaxDelay"/>, with full jitter.</param>
public sealed record RekognitionClientOptions(Uri Endpoint, string SigningRegion, int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay);

/// <summary>
/// A small typed client for the Rekognition operations FaceLogin uses, on AWSSDK.Core's credentials and signer
/// (AWSSDK.Rekognition is not available to this project). Rekognition's JSON 1.1 protocol: one POST to the service
/// root per call, the operation in <c>X-Amz-Target: RekognitionService.&lt;Operation&gt;</c>, JSON in and out, and
/// errors as <c>{"__type", "message"}</c> bodies, which become <see cref="RekognitionException"/> subclasses.
/// </summary>
/// <remarks>
/// Retries: throttling is retried for every operation, because Rekognition answers it before doing any work. A 5xx, a
/// broken connection or a time-out may come after the work was done, so they are retried only for operations that can
/// safely run twice. IndexFaces cannot: a retry after a lost answer indexes a second face that nobody records. It
/// throws instead, and registration's undo finds whatever the first call indexed by its ExternalImageId (docs/aws.md).
/// </remarks>
public sealed class RekognitionClient(
    HttpClient http,
    AWSCredentials credentials,
    RekognitionClientOptions options,
    TimeProvider time,
    ILogger<RekognitionClient> logger)
{
    public const string ServiceName = "rekognition";
    public const string ContentType = "application/x-amz-json-1.1";
    public const string TargetPrefix = "RekognitionService.";

    private static readonly RekognitionJsonContext Json = RekognitionJsonContext.Default;

    /// <summary>Running it twice leaves the collection as running it once (CreateCollection's second answer is AlreadyExists).</summary>
    private const bool Idempotent = true;

    /// <summary>Running it twice may add twice.</summary>
    private const bool NotIdempotent = false;

    /// <summary>The <see cref="RekognitionException.ErrorType"/> of a call that got no answer before HttpClient's time-out.</summary>
    public const string TimeoutErrorType = "RequestTimeout";

    public Task<CreateCollectionResponse> CreateCollectionAsync(CreateCollectionRequest request, CancellationToken cancellationToken) =>
        SendAsync("CreateCollection", Idempotent, request, Json.CreateCollectionRequest, Json.CreateCollectionResponse, cancellationToken);

    public Task<DeleteCollectionResponse> DeleteCollectionAsync(DeleteCollectionRequest request, CancellationToken cancellationToken) =>
        SendAsync("DeleteCollection", Idempotent, request, Json.DeleteCollectionRequest, Json.DeleteCollectionResponse, cancellationToken);

    public Task<DescribeCollectionResponse> DescribeCollectionAsync(DescribeCollectionRequest request, CancellationToken cancellationToken) =>
        SendAsync("DescribeCollection", Idempotent, request, Json.DescribeCollectionRequest, Json.DescribeCollectionResponse, cancellationToken);

    public Task<IndexFacesResponse> IndexFacesAsync(IndexFacesRequest request, CancellationToken cancellationToken) =>
        SendAsync("IndexFaces", NotIdempotent, request, Json.IndexFacesRequest, Json.IndexFacesResponse, cancellationToken);

    public Task<SearchFacesByImageResponse> SearchFacesByImageAsync(SearchFacesByImageRequest request, CancellationToken cancellationToken) =>
        SendAsync("SearchFacesByImage", Idempotent, request, Json.SearchFacesByImageRequest, Json.SearchFacesByImageResponse, cancellationToken);

    public Task<SearchFacesResponse> SearchFacesAsync(SearchFacesRequest request, CancellationToken cancellationToken) =>
        SendAsync("SearchFaces", Idempotent, request, Json.SearchFacesRequest, Json.SearchFacesResponse, cancellationToken);

    public Task<ListFacesResponse> ListFacesAsync(ListFacesRequest request, CancellationToken cancellationToken) =>
        SendAsync("ListFaces", Idempotent, request, Json.ListFacesRequest, Json.ListFacesResponse, cancellationToken);

    public Task<DeleteFacesResponse> DeleteFacesAsync(DeleteFacesRequest request, CancellationToken cancellationToken) =>
        SendAsync("DeleteFaces", Idempotent, request, Json.DeleteFacesRequest, Json.DeleteFacesResponse, cancellationToken);

    public Task<DetectFacesResponse> DetectFacesAsync(DetectFacesRequest request, CancellationToken cancellationToken) =>
        SendAsync("DetectFaces", Idempotent, request, Json.DetectFacesRequest, Json.DetectFacesResponse, cancellationToken);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation,
        bool idempotent,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        for (var attempt = 0; ; attempt++)
        {
            Exception failure;
            try
            {
                // Signed afresh on every attempt: the signature covers X-Amz-Date and is valid for five minutes.
                using var message = await BuildRequestAsync(operation, body, cancellationToken).ConfigureAwait(false);
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return JsonSerializer.Deserialize(payload, responseType)
                        ?? throw new RekognitionException("EmptyResponse", $"{operation} answered an empty body.", response.StatusCode);
                }

                var error = ParseError(operation, response, payload);
                var retryable = error is RekognitionThrottlingException || (idempotent && error.IsRetryable);
                if (!retryable || attempt >= options.MaxRetries)
                {
                    throw error;
                }

                failure = error;
            }
            catch (HttpRequestException ex) when (idempotent && attempt < options.MaxRetries)
            {
                failure = ex;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's time-out, not the caller's cancellation. Left as a TaskCanceledException it would read as the
                // caller giving up: registration would rethrow it instead of answering Failed, and an import would stop.
                if (!idempotent || attempt >= options.MaxRetries)
                {
                    throw new RekognitionException(TimeoutErrorType, $"{operation} got no answer before the HTTP time-out.", HttpStatusCode.RequestTimeout, ex);
                }

                failure = ex;
            }

            var delay = Backoff(attempt);
            logger.LogDebug("Rekognition {Operation} failed ({Failure}); retry {Attempt} of {MaxRetries} in {Delay} ms",
                operation, failure is RekognitionException re ? re.ErrorType : failure.GetType().Name, attempt + 1, options.MaxRetries, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, options.Endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        message.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        cancellationToken.ThrowIfCancellationRequested();
        var immutable = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        AwsSigV4.Sign(message, body, immutable, options.SigningRegion, ServiceName, time.GetUtcNow().UtcDateTime);
        return message;
    }

    /// <summary>Exponential backoff with full jitter (a random wait up to the doubled cap), so throttled clients spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    private static RekognitionException ParseError(string operation, HttpResponseMessage response, byte[] payload)
    {
        RekognitionErrorBody? error = null;
        try
        {
            error = payload.Length > 0 ? JsonSerializer.Deserialize(payload, Json.RekognitionErrorBody) : null;
        }
        catch (JsonException)
        {
            // A proxy or load balancer answered with HTML; fall back to the status and the error-type header.
        }

        var type = error?.Type
            ?? (response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null)
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? "ThrottlingException" : $"Http{(int)response.StatusCode}");

        // "com.amazonaws.rekognition#InvalidParameterException" and "InvalidParameterException:http://..." both occur.
        type = type.Split('#')[^1].Split(':')[0];
        var text = error?.Message ?? error?.MessageUpper ?? $"{operation} failed with HTTP {(int)response.StatusCode}.";
        return RekognitionException.Create(type, text, response.StatusCode);
    }
}
