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

    /// <summary>Turns the camera off (its light goes out).</summary>
    Task StopAsync(ElementReference video, CancellationToken cancellationToken);
}

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
