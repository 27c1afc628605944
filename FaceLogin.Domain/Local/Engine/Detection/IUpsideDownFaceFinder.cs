using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>A detector that can tell an upside-down face from an upright one (see <see cref="BlazeFaceDetector"/>).</summary>
public interface IUpsideDownFaceFinder
{
    /// <summary>The face as an upside-down detection (box and keypoints where its real eyes, nose and mouth are), or null when it is upright.</summary>
    DetectedFace? FindUpsideDown(RgbaImage image, DetectedFace face);
}
