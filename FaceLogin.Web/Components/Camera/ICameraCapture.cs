using Microsoft.AspNetCore.Components;

namespace FaceLogin.Web.Components.Camera;

/// <summary>
/// The browser camera as the sign-up page needs it. Behind an interface so component tests can substitute it:
/// the real one (<see cref="JsCameraCapture"/>) talks to CameraCapture.razor.js.
/// </summary>
public interface ICameraCapture
{
    /// <summary>Asks for the camera and shows its live picture in <paramref name="video"/>; says why when it cannot.</summary>
    Task<CameraStatus> StartAsync(ElementReference video, CancellationToken cancellationToken);

    /// <summary>Freezes the current frame onto <paramref name="snapshot"/> (a canvas) and returns it as JPEG bytes.</summary>
    /// <exception cref="CameraCaptureException">No frame yet, or the photo is larger than allowed.</exception>
    Task<byte[]> TakePhotoAsync(ElementReference video, ElementReference snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Captures a burst answering <paramref name="plan"/>'s steps (docs/liveness.md): the prompt shows "look at the camera",
    /// then each step's arrow and words, on the page's own clock, while frames are grabbed; the look phase's frame is left
    /// frozen on <paramref name="snapshot"/>. The frames come back streamed, never as one SignalR message.
    /// </summary>
    /// <exception cref="CameraCaptureException">No frame yet, or the frames are larger than allowed or did not arrive.</exception>
    Task<CapturedBurst> CaptureBurstAsync(
        ElementReference video, ElementReference snapshot, ElementReference prompt, BurstPlan plan, CancellationToken cancellationToken);

    /// <summary>Turns the camera off (its light goes out).</summary>
    Task StopAsync(ElementReference video, CancellationToken cancellationToken);
}

/// <summary>What the camera script needs to capture a burst: the steps (<see cref="FaceLogin.Domain.Faces.Liveness.HeadMovement"/> names), the timing, the prompts.</summary>
public sealed record BurstPlan(
    IReadOnlyList<string> Steps, int LookMs, int StepMs, int FrameIntervalMs, int FrameMaxSide, IReadOnlyDictionary<string, HeadMovementPrompt> Prompts);

/// <summary>A burst as captured: the JPEG frames in order, and when each frame was taken and each step shown (ms after the start).</summary>
public sealed record CapturedBurst(IReadOnlyList<byte[]> Frames, IReadOnlyList<int> FrameTimes, IReadOnlyList<int> StepTimes);

/// <summary>What happened when the camera was asked for.</summary>
public enum CameraStatus
{
    Live,
    /// <summary>The person (or the browser's settings) refused the permission.</summary>
    Denied,
    /// <summary>No camera is connected.</summary>
    NoCamera,
    /// <summary>A camera exists but another program is using it.</summary>
    Busy,
    /// <summary>The browser has no camera API here (old browser, or a page not served over HTTPS or localhost).</summary>
    Unsupported,
    Failed,
}

/// <summary>A photo could not be taken; <see cref="Exception.Message"/> is fit to show the person.</summary>
public sealed class CameraCaptureException(string message, Exception? inner = null) : Exception(message, inner);
