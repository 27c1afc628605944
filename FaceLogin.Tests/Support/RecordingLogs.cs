using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Support;

/// <summary>Keeps every log line written through it, so tests can check what is (and is never) logged.</summary>
public sealed class RecordingLogs
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => lines.ToArray();

    public ILogger<T> For<T>() => new Logger<T>(this);

    /// <summary>Fails when any line at <paramref name="minimum"/> or above contains <paramref name="secret"/> (case-insensitive).</summary>
    public void AssertNeverLogged(string secret, LogLevel minimum = LogLevel.Information)
    {
        var leaks = Lines.Where(l => l.Level >= minimum && (l.Text + l.Exception).Contains(secret, StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.True(leaks.Length == 0, $"'{secret}' was logged: {string.Join(" | ", leaks.Select(l => l.Text))}");
    }

    public sealed record LogLine(LogLevel Level, string Category, string Text, Exception? Exception);

    private sealed class Logger<T>(RecordingLogs owner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue(new LogLine(logLevel, typeof(T).Name, formatter(state, exception), exception));
    }
}
