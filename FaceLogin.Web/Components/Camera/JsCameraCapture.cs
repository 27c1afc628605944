using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Components.Camera;

/// <summary>
/// The camera through CameraCapture.razor.js. The photo comes back as a JS stream (<see cref="IJSStreamReference"/>),
/// which Blazor sends in chunks under the SignalR message limit — the limit is never raised — and which is read
/// into memory only up to the sign-up door's byte limit (<c>FaceLogin:ImageBudgets:SignUp:MaxBytes</c>).
/// </summary>
public sealed class JsCameraCapture(IJSRuntime js, IOptions<ImageBudgetOptions> imageBudgets) : ICameraCapture, IAsyncDisposable
{
    public const string ModulePath = "./Components/Camera/CameraCapture.razor.js";

    private IJSObjectReference? _module;

    public async Task<CameraStatus> StartAsync(ElementReference video, CancellationToken cancellationToken)
    {
        string status;
        try
        {
            var module = await GetModuleAsync(cancellationToken);
            status = await module.InvokeAsync<string>("startCamera", cancellationToken, video);
        }
        catch (JSException)
        {
            // The module failed to load or threw: the person sees "could not be started" with Try again, not a dead page.
            return CameraStatus.Failed;
        }

        // Anything else ('Stopped': the page was left while the camera was starting) is not a camera the page can show.
        return Enum.TryParse<CameraStatus>(status, ignoreCase: false, out var parsed) ? parsed : CameraStatus.Failed;
    }

    public async Task<byte[]> TakePhotoAsync(ElementReference video, ElementReference snapshot, CancellationToken cancellationToken)
    {
        var module = await GetModuleAsync(cancellationToken);
        IJSStreamReference photo;
        try
        {
            photo = await module.InvokeAsync<IJSStreamReference>("takePhoto", cancellationToken, video, snapshot);
        }
        catch (JSException ex)
        {
            throw new CameraCaptureException("The camera has no picture yet. Wait a moment and try again.", ex);
        }

        await using (photo)
        {
            var maxBytes = (int)Math.Min(int.MaxValue, imageBudgets.Value.SignUp.MaxBytes);
            if (photo.Length > maxBytes)
            {
                throw new CameraCaptureException(FaceFeedback.TooLarge(maxBytes));
            }

            try
            {
                await using var stream = await photo.OpenReadStreamAsync(maxBytes, cancellationToken);
                return await ReadAtMostAsync(stream, maxBytes, cancellationToken);
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or IOException)
            {
                // The transfer broke (the browser sent more than it declared, a chunk went missing, the connection dropped):
                // a photo to retake, not a reason to end the page.
                throw new CameraCaptureException("The photo did not arrive. Please take it again.", ex);
            }
        }
    }

    public async Task<CapturedBurst> CaptureBurstAsync(
        ElementReference video, ElementReference snapshot, ElementReference prompt, BurstPlan plan, CancellationToken cancellationToken)
    {
        var module = await GetModuleAsync(cancellationToken);
        BurstShape shape;
        IJSStreamReference frames;
        try
        {
            // The burst takes seconds by design (the look phase and the steps); the call's default timeout is a minute.
            shape = await module.InvokeAsync<BurstShape>("captureBurstForCircuit", cancellationToken, video, snapshot, plan, prompt);
            frames = await module.InvokeAsync<IJSStreamReference>("burstFrames", cancellationToken, video);
        }
        catch (JSException ex)
        {
            throw new CameraCaptureException("The camera has no picture yet. Wait a moment and try again.", ex);
        }

        await using (frames)
        {
            // All frames together within the sign-up door's byte limit, as one photo is (the service checks it again).
            var maxBytes = (int)Math.Min(int.MaxValue, imageBudgets.Value.SignUp.MaxBytes);
            if (frames.Length > maxBytes)
            {
                throw new CameraCaptureException(FaceFeedback.TooLarge(maxBytes));
            }

            byte[] all;
            try
            {
                await using var stream = await frames.OpenReadStreamAsync(maxBytes, cancellationToken);
                all = await ReadAtMostAsync(stream, maxBytes, cancellationToken);
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or IOException)
            {
                throw new CameraCaptureException("The photos did not arrive. Please take them again.", ex);
            }

            return new CapturedBurst(Split(all, shape.FrameSizes), shape.FrameTimes, shape.StepTimes);
        }
    }

    /// <summary>The frames, cut out of the one stream at the sizes the script gave; a mismatch is a transfer that broke.</summary>
    internal static IReadOnlyList<byte[]> Split(byte[] all, IReadOnlyList<int> sizes)
    {
        if (sizes.Count == 0 || sizes.Any(size => size <= 0) || sizes.Sum(size => (long)size) != all.Length)
        {
            throw new CameraCaptureException("The photos did not arrive. Please take them again.");
        }

        var frames = new byte[sizes.Count][];
        var offset = 0;
        for (var i = 0; i < sizes.Count; i++)
        {
            frames[i] = all.AsSpan(offset, sizes[i]).ToArray();
            offset += sizes[i];
        }

        return frames;
    }

    public async Task StopAsync(ElementReference video, CancellationToken cancellationToken)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("stopCamera", cancellationToken, video);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone and the browser with it: nothing left to release.
            }
        }
    }

    /// <summary>Copies the stream, refusing more than <paramref name="maxBytes"/> whatever the stream claimed its length to be.</summary>
    internal static async Task<byte[]> ReadAtMostAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw new CameraCaptureException("The photo is too large. Please use a smaller camera resolution.");
            }

            copy.Write(buffer, 0, read);
        }

        if (copy.Length == 0)
        {
            throw new CameraCaptureException("The camera returned an empty picture. Please try again.");
        }

        return copy.ToArray();
    }

    /// <summary>What captureBurstForCircuit answers besides the frames.</summary>
    internal sealed record BurstShape(int[] FrameTimes, int[] StepTimes, int[] FrameSizes);

    private async ValueTask<IJSObjectReference> GetModuleAsync(CancellationToken cancellationToken) =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, ModulePath);
}
