using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces;

/// <summary>
/// What a detected face must meet before a use case works with it. Zero (or 180° for angles) turns a check off.
/// Brightness, sharpness and confidence are off by default: their scales are the engine's own, and the engine's quality
/// filter (IndexFaces' reasons) already judges them at registration. Size and pose are in pixels and degrees, the same for
/// every engine, so those defaults mean the same everywhere.
/// </summary>
public sealed class FaceQualityThresholds
{
    /// <summary>Shortest side of the face box in pixels of the decoded image.</summary>
    [Range(0, 10_000)]
    public float MinFaceSizePx { get; set; }

    [Range(0, 100)]
    public float MinBrightness { get; set; }

    [Range(0, 100)]
    public float MinSharpness { get; set; }

    [Range(0, 100)]
    public float MinConfidence { get; set; }

    [Range(0, 180)]
    public float MaxYawDegrees { get; set; } = 180;

    [Range(0, 180)]
    public float MaxPitchDegrees { get; set; } = 180;

    /// <summary>The reasons (Rekognition's names) this face falls short; empty when it is usable.</summary>
    public IReadOnlyList<UnindexedReason> Assess(FaceDetail face)
    {
        var reasons = new List<UnindexedReason>();
        if (MinConfidence > 0 && face.Confidence < MinConfidence)
        {
            reasons.Add(UnindexedReason.LowConfidence);
        }

        if (MinFaceSizePx > 0 && face.Quality.FaceSizePx < MinFaceSizePx)
        {
            reasons.Add(UnindexedReason.SmallBoundingBox);
        }

        if (Math.Abs(face.Pose.Yaw) > MaxYawDegrees || Math.Abs(face.Pose.Pitch) > MaxPitchDegrees)
        {
            reasons.Add(UnindexedReason.ExtremePose);
        }

        if (MinBrightness > 0 && face.Quality.Brightness < MinBrightness)
        {
            reasons.Add(UnindexedReason.LowBrightness);
        }

        if (MinSharpness > 0 && face.Quality.Sharpness < MinSharpness)
        {
            reasons.Add(UnindexedReason.LowSharpness);
        }

        return reasons;
    }

    /// <summary>Data annotations do not look into nested options; the owning options call this.</summary>
    public bool IsValid() => Validator.TryValidateObject(this, new ValidationContext(this), null, validateAllProperties: true);
}
