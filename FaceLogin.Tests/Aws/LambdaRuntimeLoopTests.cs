using System.Net;
using System.Text;
using System.Text.Json;
using FaceLogin.Domain.Aws.Function;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceLogin.Tests.Aws;

/// <summary>The custom-runtime loop against a scripted Lambda Runtime API (the HTTP protocol Lambda documents).</summary>
public sealed class LambdaRuntimeLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class RuntimeApiFake : HttpMessageHandler
    {
        public Queue<HttpResponseMessage> Next { get; } = new();

        public List<(HttpMethod Method, string Path, string Body, string? ErrorType)> Calls { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var errorType = request.Headers.TryGetValues("Lambda-Runtime-Function-Error-Type", out var values) ? values.First() : null;
            Calls.Add((request.Method, request.RequestUri!.PathAndQuery, body, errorType));
            Assert.Equal("127.0.0.1:9001", request.RequestUri.Authority);
            return request.RequestUri.AbsolutePath.EndsWith("/invocation/next", StringComparison.Ordinal)
                ? Next.Dequeue()
                : new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }

    private static HttpResponseMessage Invocation(string requestId, string body, DateTimeOffset deadline)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        response.Headers.Add("Lambda-Runtime-Aws-Request-Id", requestId);
        response.Headers.Add("Lambda-Runtime-Deadline-Ms", deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    [Fact]
    public async Task Each_event_is_handled_and_its_answer_posted_under_its_request_id()
    {
        var api = new RuntimeApiFake();
        api.Next.Enqueue(Invocation("req-1", """{"n":1}""", DateTimeOffset.UtcNow.AddMinutes(1)));
        api.Next.Enqueue(Invocation("req-2", """{"n":2}""", DateTimeOffset.UtcNow.AddMinutes(1)));
        var loop = new LambdaRuntimeLoop(new HttpClient(api), "127.0.0.1:9001", NullLogger<LambdaRuntimeLoop>.Instance);
        async Task<Stream> Echo(Stream input, CancellationToken ct)
        {
            var n = (await JsonDocument.ParseAsync(input, cancellationToken: ct)).RootElement.GetProperty("n").GetInt32();
            return new MemoryStream(Encoding.UTF8.GetBytes($$"""{"doubled":{{n * 2}}}"""));
        }

        Assert.True(await loop.RunOnceAsync(Echo, Ct));
        Assert.True(await loop.RunOnceAsync(Echo, Ct));

        Assert.Equal(
            [
                (HttpMethod.Get, "/2018-06-01/runtime/invocation/next", "", null),
                (HttpMethod.Post, "/2018-06-01/runtime/invocation/req-1/response", """{"doubled":2}""", null),
                (HttpMethod.Get, "/2018-06-01/runtime/invocation/next", "", null),
                (HttpMethod.Post, "/2018-06-01/runtime/invocation/req-2/response", """{"doubled":4}""", null),
            ],
            api.Calls);
    }

    [Fact]
    public async Task A_failing_handler_is_reported_as_an_unhandled_function_error()
    {
        var api = new RuntimeApiFake();
        api.Next.Enqueue(Invocation("req-9", "{}", DateTimeOffset.UtcNow.AddMinutes(1)));
        var loop = new LambdaRuntimeLoop(new HttpClient(api), "127.0.0.1:9001", NullLogger<LambdaRuntimeLoop>.Instance);

        Assert.True(await loop.RunOnceAsync((_, _) => throw new InvalidDataException("broken record"), Ct));

        var error = api.Calls[1];
        Assert.Equal((HttpMethod.Post, "/2018-06-01/runtime/invocation/req-9/error", "Unhandled"), (error.Method, error.Path, error.ErrorType));
        var body = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal("InvalidDataException", body.GetProperty("errorType").GetString());
        Assert.Equal("broken record", body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task The_handler_is_cancelled_at_the_invocation_deadline()
    {
        var api = new RuntimeApiFake();
        api.Next.Enqueue(Invocation("req-3", "{}", DateTimeOffset.UtcNow.AddMilliseconds(600)));
        var loop = new LambdaRuntimeLoop(new HttpClient(api), "127.0.0.1:9001", NullLogger<LambdaRuntimeLoop>.Instance);

        await loop.RunOnceAsync(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return Stream.Null;
        }, Ct);

        Assert.Equal("/2018-06-01/runtime/invocation/req-3/error", api.Calls[1].Path);
        Assert.Contains("Canceled", JsonDocument.Parse(api.Calls[1].Body).RootElement.GetProperty("errorType").GetString(), StringComparison.Ordinal);
    }
}
