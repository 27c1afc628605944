using Microsoft.JSInterop;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// What a JS Blob becomes on the .NET side, backed by bytes. bUnit has no stream reference of its own;
/// this one keeps the real contract that matters here: opening it with a smaller limit than its length fails.
/// </summary>
/// <param name="failsWith">Thrown when the stream is opened: a transfer that breaks (the browser sends more than it declared, the connection drops).</param>
internal sealed class MemoryJSStreamReference(byte[] bytes, long? claimedLength = null, Exception? failsWith = null) : IJSStreamReference
{
    public long Length { get; } = claimedLength ?? bytes.Length;

    public bool Disposed { get; private set; }

    public ValueTask<Stream> OpenReadStreamAsync(long maxAllowedSize = 512000, CancellationToken cancellationToken = default)
    {
        if (failsWith is not null)
        {
            return ValueTask.FromException<Stream>(failsWith);
        }

        if (Length > maxAllowedSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAllowedSize), "The stream is longer than allowed.");
        }

        return ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
