namespace FaceLogin.Web.Components.Camera;

/// <summary>What the camera frame shows. The names are also the frame's <c>data-state</c>, which the sign-in page's script sets.</summary>
public enum CameraState
{
    Starting,
    Live,
    Captured,
    Unavailable,
}
