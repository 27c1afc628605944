namespace FaceLogin.Domain.Faces;

/// <summary>Finds every face in an image.</summary>
public interface IFaceDetector
{
    /// <summary>Faces above the detector's score threshold, in no particular order.</summary>
    IReadOnlyList<DetectedFace> Detect(RgbaImage image);
}

/// <param name="Box">The face box in pixels of <see cref="RgbaImage"/>.</param>
/// <param name="Score">Detection score, 0..1.</param>
public readonly record struct DetectedFace(PixelRect Box, float Score, FaceKeypoints Keypoints);

/// <summary>
/// The detector's six coarse points, named as seen in the image (image-left eye is the person's right eye),
/// the same way Rekognition names eyeLeft and eyeRight.
/// </summary>
public readonly record struct FaceKeypoints(
    FacePoint EyeLeft,
    FacePoint EyeRight,
    FacePoint Nose,
    FacePoint Mouth,
    FacePoint EarLeft,
    FacePoint EarRight);
