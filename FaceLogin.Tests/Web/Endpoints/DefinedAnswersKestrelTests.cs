using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using FaceLogin.Tests.Browser;
using FaceLogin.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// What a client on a real socket gets when its request goes wrong at the transport level: a body that trickles in slower than
/// Kestrel's minimum data rate (240 B/s after a 5 s grace) answers 408 with the page's JSON refusal, a body cut off half-way
/// ends quietly, each with one warning line and no error; and no response names the server software.
/// </summary>
public sealed class DefinedAnswersKestrelTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly FinishedRequests _finished = new();
    private BrowserApp? _app;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await BrowserApp.StartAsync(new Dictionary<string, string?>(), Cancel, services =>
    {
        services.AddLogging(logging => logging.AddProvider(_logs));
        services.AddSingleton<IStartupFilter>(_finished);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(_finished.WatchConnections));
    });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task No_response_names_the_server_software()
    {
        using var client = new HttpClient { BaseAddress = _app!.Url };

        using var page = await client.GetAsync("login", Cancel);
        using var missing = await client.GetAsync("no-such-page", Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(page.Headers.Server);
        Assert.Empty(missing.Headers.Server);
    }

    [Fact]
    public async Task A_sign_in_body_trickling_at_20_bytes_a_second_is_answered_408_with_one_warning()
    {
        var logsBefore = _logs.Entries.Count;
        using var socket = await ConnectAsync();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(SignInHead(contentLength: 4000), Cancel);

        // The server's answer is read while the body trickles: one byte every 50 ms until it answers (or 30 s pass, a failure).
        var answer = ReadAnswerAsync(stream);
        using var trickle = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var body = Encoding.ASCII.GetBytes(new string('x', 4000));
        var clock = Stopwatch.StartNew();
        for (var sent = 0; !answer.IsCompleted && sent < body.Length && clock.Elapsed < TimeSpan.FromSeconds(30); sent++)
        {
            await stream.WriteAsync(body.AsMemory(sent, 1), Cancel);
            await trickle.WaitForNextTickAsync(Cancel);
        }

        var (status, json) = await answer.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        Assert.Equal(408, status);
        var refusal = JsonSerializer.Deserialize<FaceSignInRefused>(json, JsonSerializerOptions.Web);
        Assert.Equal(FaceSignInRefused.BodyTooSlow, refusal);
        Assert.False((await _finished.NextAsync("/auth/login")).Escaped, "An exception left the app's pipeline.");
        await _finished.ConnectionClosedAsync();
        AssertOneWarningAndNoError(logsBefore);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sign_in_body_cut_off_half_way_ends_with_one_warning_and_no_error(bool reset)
    {
        var logsBefore = _logs.Entries.Count;
        using (var socket = await ConnectAsync())
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            // "Expect: 100-continue": the server says "continue" once the app starts reading the body, so the cut happens
            // while the app is reading it, as in the field (a cut before the request reached the app would prove nothing).
            await stream.WriteAsync(SignInHead(contentLength: 100_000, expectContinue: true), Cancel);
            Assert.StartsWith("HTTP/1.1 100", await ReadInterimAnswerAsync(stream));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(new string('x', 1000)), Cancel);
            if (reset)
            {
                // Gone without a word, as a client that crashed or lost its network.
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                // The body ends short of its declared length (Kestrel takes the end of the stream as the client leaving).
                socket.Shutdown(SocketShutdown.Send);
            }
        }

        Assert.False((await _finished.NextAsync("/auth/login")).Escaped, "An exception left the app's pipeline.");
        await _finished.ConnectionClosedAsync();
        AssertOneWarningAndNoError(logsBefore);
    }

    /// <summary>Among the entries logged since <paramref name="logsBefore"/> (start-up has warnings of its own).</summary>
    private void AssertOneWarningAndNoError(int logsBefore)
    {
        var entries = _logs.Entries.Skip(logsBefore).Where(e => e.Level >= LogLevel.Warning).ToArray();
        var listed = string.Join("\n", entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));
        Assert.True(entries.Length == 1 && entries[0].Level == LogLevel.Warning, "Expected one warning and nothing worse, got:\n" + listed);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, _app!.Url.Port, Cancel);
        return socket;
    }

    /// <summary>A multipart sign-in POST's head. The body never needs to be well-formed: the server gives up on it first.</summary>
    private byte[] SignInHead(int contentLength, bool expectContinue = false) => Encoding.ASCII.GetBytes(
        "POST /auth/login HTTP/1.1\r\n"
        + (expectContinue ? "Expect: 100-continue\r\n" : "")
        + $"Host: {_app!.Url.Authority}\r\n"
        + "Content-Type: multipart/form-data; boundary=trickle\r\n"
        + "Accept: application/json\r\n"
        + $"Content-Length: {contentLength}\r\n"
        + "Connection: close\r\n\r\n");

    /// <summary>The head of an interim answer (up to its blank line), read byte by byte so nothing after it is taken.</summary>
    private static async Task<string> ReadInterimAnswerAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, Cancel) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    /// <summary>The status code and body of the answer (the server closes the connection after it).</summary>
    private static async Task<(int Status, string Body)> ReadAnswerAsync(NetworkStream stream)
    {
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, Cancel);
        var text = Encoding.UTF8.GetString(received.ToArray());
        Assert.True(text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), "No answer came: " + text);
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        // A chunked body: the JSON sits between the first chunk's size line and its end.
        var start = body.IndexOf('{', StringComparison.Ordinal);
        var end = body.LastIndexOf('}');
        return (status, start >= 0 && end > start ? body[start..(end + 1)] : body);
    }

    /// <summary>
    /// Tells the test when the app has finished a request (its whole pipeline, error handling included) and whether an
    /// exception escaped it, and when Kestrel is done with a connection (draining the body included), so the logs are read
    /// after everything the request could log.
    /// </summary>
    private sealed class FinishedRequests : IStartupFilter
    {
        private readonly Channel<(string Path, bool Escaped)> _finished = Channel.CreateUnbounded<(string, bool)>();
        private readonly Channel<bool> _closed = Channel.CreateUnbounded<bool>();

        public void WatchConnections(ListenOptions listen) => listen.Use(next => async connection =>
        {
            try
            {
                await next(connection);
            }
            finally
            {
                _closed.Writer.TryWrite(true);
            }
        });

        public async Task ConnectionClosedAsync()
        {
            using var deadline = Deadline();
            await _closed.Reader.ReadAsync(deadline.Token);
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                var escaped = false;
                try
                {
                    await inner(context);
                }
                catch
                {
                    escaped = true;
                    throw;
                }
                finally
                {
                    _finished.Writer.TryWrite((context.Request.Path.Value ?? "", escaped));
                }
            });
            next(app);
        };

        public async Task<(string Path, bool Escaped)> NextAsync(string path)
        {
            using var deadline = Deadline();
            while (true)
            {
                var finished = await _finished.Reader.ReadAsync(deadline.Token);
                if (finished.Path == path)
                {
                    return finished;
                }
            }
        }

        /// <summary>A bound for waiting on the server (a hang fails the test instead of stalling the run).</summary>
        private static CancellationTokenSource Deadline()
        {
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            return deadline;
        }
    }
}
