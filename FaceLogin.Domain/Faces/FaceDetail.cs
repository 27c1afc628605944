namespace FaceLogin.Domain.Faces;

/// <summary>
/// Image quality of one face. Brightness and Sharpness are on Rekognition's 0..100 scale;
/// <see cref="FaceSizePx"/> is the shorter side of the face box in pixels of the decoded image.
/// </summary>
public readonly record struct FaceQuality(float Brightness, float Sharpness, float FaceSizePx);

/// <summary>One detected face as both engines report it (Rekognition's FaceDetail, the fields we use).</summary>
/// <param name="Box">Box as ratios of the image.</param>
/// <param name="Confidence">Detection confidence, 0..100.</param>
public sealed record FaceDetail(
    BoundingBox Box,
    float Confidence,
    FacePose Pose,
    FaceQuality Quality,
    FaceLandmarks5 Landmarks);
