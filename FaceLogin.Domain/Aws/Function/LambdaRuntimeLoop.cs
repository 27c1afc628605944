using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Aws.Function;

/// <summary>
/// A Lambda custom runtime (<c>provided.al2023</c>) in a few HTTP calls, so the S3-upload function deploys with no
/// Lambda NuGet package: ask the Runtime API for the next event, run the handler with a token that fires at the
/// invocation's deadline, post the response or the error, repeat. Protocol:
/// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
/// </summary>
public sealed class LambdaRuntimeLoop(HttpClient http, string runtimeApi, ILogger<LambdaRuntimeLoop> logger)
{
    /// <summary>Left for posting the answer once the handler is cancelled at the deadline.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private Uri Api(string path) => new($"http://{runtimeApi}/2018-06-01/runtime/{path}");

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (Lambda freezes or ends the process in practice).</summary>
    public async Task RunAsync(Func<Stream, CancellationToken, Task<Stream>> handler, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await RunOnceAsync(handler, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Handles one invocation; false when the Runtime API has nothing more (it closed the connection).</summary>
    public async Task<bool> RunOnceAsync(Func<Stream, CancellationToken, Task<Stream>> handler, CancellationToken cancellationToken)
    {
        using var next = await http.GetAsync(Api("invocation/next"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!next.IsSuccessStatusCode)
        {
            logger.LogError("Lambda Runtime API answered {Status} to invocation/next", (int)next.StatusCode);
            return false;
        }

        var requestId = next.Headers.TryGetValues("Lambda-Runtime-Aws-Request-Id", out var ids) ? ids.First() : throw new InvalidOperationException("No Lambda-Runtime-Aws-Request-Id header.");
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (next.Headers.TryGetValues("Lambda-Runtime-Deadline-Ms", out var deadlines)
            && long.TryParse(deadlines.First(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            var remaining = DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs) - DateTimeOffset.UtcNow - DeadlineMargin;
            invocation.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        try
        {
            var input = await next.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var inputDisposal = input.ConfigureAwait(false);
            var output = await handler(input, invocation.Token).ConfigureAwait(false);
            await using var outputDisposal = output.ConfigureAwait(false);
            using var content = new StreamContent(output);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var posted = await http.PostAsync(Api($"invocation/{requestId}/response"), content, cancellationToken).ConfigureAwait(false);
            posted.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Lambda invocation {RequestId} failed with {ExceptionType}", requestId, ex.GetType().Name);
            await PostErrorAsync(Api($"invocation/{requestId}/error"), ex, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Reports a failure to start (bad configuration) so Lambda shows it instead of a timeout.</summary>
    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync(Api("init/error"), error, cancellationToken);

    private async Task PostErrorAsync(Uri uri, Exception error, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string> { ["errorType"] = error.GetType().Name, ["errorMessage"] = error.Message };
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, LambdaJsonContext.Default.DictionaryStringString));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", "Unhandled");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LambdaJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
