namespace FaceLogin.Web.Components.Camera;

/// <summary>
/// What to tell a person whose camera cannot be used, with what to do about it. One source for both pages:
/// the sign-up component shows them directly, the static sign-in page hands them to its script.
/// </summary>
public static class CameraMessages
{
    public static string For(CameraStatus status) => status switch
    {
        CameraStatus.Live => "",
        CameraStatus.Denied =>
            "Camera access is blocked. Allow the camera for this site (the camera icon in the address bar), then press Try again.",
        CameraStatus.NoCamera => "No camera was found. Connect a camera, then press Try again.",
        CameraStatus.Busy => "The camera is in use by another program. Close it, then press Try again.",
        CameraStatus.Unsupported =>
            "This browser can't use a camera on this page. Use a current browser, over HTTPS or on localhost.",
        _ => "The camera could not be started. Press Try again.",
    };

    /// <summary>How the script names each status (the enum names), for the static sign-in page.</summary>
    public static IReadOnlyDictionary<string, string> ForScript() =>
        Enum.GetValues<CameraStatus>().Where(s => s != CameraStatus.Live).ToDictionary(s => s.ToString(), For);
}
