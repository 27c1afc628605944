using System.Net;
using System.Text;
using Amazon.Runtime;
using FaceLogin.Domain.Aws.Rekognition;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// Stands in for Rekognition's HTTPS endpoint at the HttpMessageHandler level: records every request exactly as
/// HttpClient would send it (headers, body) and answers from a script of responses.
/// </summary>
public sealed class RekognitionHttpFake : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _responses = new();

    public List<CapturedRequest> Requests { get; } = [];

    public RekognitionHttpFake Answer(string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        _responses.Enqueue(() => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1") });
        return this;
    }

    /// <summary>An answer with headers, e.g. a proxy's HTML page with <c>x-amzn-ErrorType</c>.</summary>
    public RekognitionHttpFake Answer(string body, string mediaType, HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        _responses.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });
        return this;
    }

    /// <summary>No answer at all: the connection breaks, or HttpClient's time-out fires (a TaskCanceledException).</summary>
    public RekognitionHttpFake Fail(Exception error)
    {
        _responses.Enqueue(() => throw error);
        return this;
    }

    public RekognitionHttpFake Error(string type, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Answer(ErrorBody(type, message), status);

    /// <summary>An error body as Rekognition writes it: the type with its namespace, and the message.</summary>
    public static string ErrorBody(string type, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazonaws.rekognition#" + type, ["message"] = message });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(await CapturedRequest.CaptureAsync(request, cancellationToken));
        if (_responses.Count == 0)
        {
            throw new InvalidOperationException($"No scripted response for request {Requests.Count}.");
        }

        return _responses.Dequeue()();
    }
}

public sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The request exactly as HttpClient would send it: headers (names lower-cased) and body.</summary>
    public static async Task<CapturedRequest> CaptureAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        foreach (var header in request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        }

        return new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body);
    }

    public string Target => Headers["x-amz-target"];

    /// <summary>The operation, from <c>X-Amz-Target: RekognitionService.&lt;Operation&gt;</c>.</summary>
    public string Operation => Target[RekognitionClient.TargetPrefix.Length..];

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}

/// <summary>A <see cref="RekognitionClient"/> whose requests go to a handler (a scripted fake, the emulator) instead of the network.</summary>
public static class RekognitionClients
{
    public static readonly Uri TestEndpoint = new("https://rekognition.example.test/");

    public static readonly AWSCredentials TestCredentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret");

    /// <param name="baseDelay">The first retry's backoff cap (zero: retries at once).</param>
    public static RekognitionClient Over(
        HttpMessageHandler handler,
        AWSCredentials? credentials = null,
        Uri? endpoint = null,
        string region = "us-east-1",
        int maxRetries = 0,
        TimeSpan baseDelay = default,
        TimeSpan maxDelay = default) => new(
            new HttpClient(handler),
            credentials ?? TestCredentials,
            new RekognitionClientOptions(endpoint ?? TestEndpoint, region, maxRetries, baseDelay, maxDelay),
            TimeProvider.System,
            NullLogger<RekognitionClient>.Instance);
}
