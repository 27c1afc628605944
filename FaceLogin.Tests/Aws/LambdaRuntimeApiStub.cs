using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// A tiny Lambda Runtime API on a loopback port (a real HTTP server, as Lambda's is): records every request and answers
/// 202 to posts; <c>invocation/next</c> answers 410 Gone, which ends a runtime loop. Stopped on dispose.
/// </summary>
public sealed class LambdaRuntimeApiStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    private LambdaRuntimeApiStub(int port)
    {
        Address = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary><c>host:port</c>, the form of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    public ConcurrentQueue<(string Method, string Path, string? ErrorType, string Body)> Requests { get; } = new();

    public static LambdaRuntimeApiStub Start() => new(TestServerProcess.FreeLoopbackPort());

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Lambda-Runtime-Function-Error-Type"], body));
            context.Response.StatusCode = context.Request.HttpMethod == "GET" ? (int)HttpStatusCode.Gone : (int)HttpStatusCode.Accepted;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
