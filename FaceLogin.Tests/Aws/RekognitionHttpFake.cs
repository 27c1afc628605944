using System.Net;
using System.Text;

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
        Answer($$"""{"__type":"com.amazonaws.rekognition#{{type}}","message":"{{message}}"}""", status);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
            }
        }

        Requests.Add(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
        if (_responses.Count == 0)
        {
            throw new InvalidOperationException($"No scripted response for request {Requests.Count}.");
        }

        return _responses.Dequeue()();
    }
}

public sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Target => Headers["x-amz-target"];

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}
