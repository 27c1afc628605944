using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>A detector that can tell an upside-down face from an upright one (see <see cref="BlazeFaceDetector"/>).</summary>
public interface IUpsideDownFaceFinder
{
    /// <summary>
    /// The face looked at turned 180°: the turned detection (box and keypoints where its real eyes, nose and mouth are) and
    /// what the detector makes of it; null when the turned look finds no face there (it is upright).
    /// </summary>
    UpsideDownLook? LookUpsideDown(RgbaImage image, DetectedFace face);
}

/// <summary>What the detector's turned look says about a face.</summary>
public enum UpsideDownVerdict
{
    /// <summary>The upright look scores clearly higher: the face is upright.</summary>
    Upright,

    /// <summary>The turned look scores clearly higher: the face is upside down.</summary>
    UpsideDown,

    /// <summary>Both looks score about the same: the detector cannot tell, someone else must (see <see cref="FaceAnalyzer"/>).</summary>
    Undecided,
}

/// <param name="Turned">The face as the turned look sees it, mapped back to the image.</param>
/// <param name="Margin">The turned look's score minus the upright look's, on equal crops.</param>
public sealed record UpsideDownLook(DetectedFace Turned, float Margin, UpsideDownVerdict Verdict);
