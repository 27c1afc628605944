using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces;

/// <summary>
/// What a detected face must meet before a use case works with it: the thresholds of one door's
/// <see cref="FaceAdmissionPolicy"/>. Zero (or 180° for angles) turns a check off, and every check is off in a new instance;
/// the doors' options set their defaults (sign-in: <c>AuthenticationOptions.Quality</c>, registration:
/// <c>RegistrationOptions.Quality</c>, docs/domain.md "One admission policy"). Size and pose are in pixels and degrees, the
/// same for every engine; brightness, sharpness and confidence are on Rekognition's 0..100 scales, which the local engine
/// reports too.
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

    /// <summary>
    /// |Roll| above which the photo counts as sideways or upside down (<see cref="UnindexedReason.RotatedFace"/>): a person
    /// tilts their head by tens of degrees at most, a photo saved without its EXIF orientation is off by 90° or 180°.
    /// </summary>
    [Range(0, 180)]
    public float MaxRollDegrees { get; set; } = 180;

    /// <summary>The reasons (Rekognition's names) this face falls short; empty when it is usable.</summary>
    public IReadOnlyList<UnindexedReason> Assess(FaceDetail face)
    {
        var reasons = new List<UnindexedReason>();

        // First: turning the photo upright is the one thing to do, and a turned face's other measures mean little.
        if (Math.Abs(face.Pose.Roll) > MaxRollDegrees)
        {
            reasons.Add(UnindexedReason.RotatedFace);
        }

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

    /// <summary>
    /// Thresholds that refuse whatever either these or <paramref name="other"/> refuse: each check at the stricter of the two.
    /// How registration's thresholds take sign-in's in, so a face registration accepts is always one sign-in examines too.
    /// </summary>
    public FaceQualityThresholds AtLeastAsStrictAs(FaceQualityThresholds other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new FaceQualityThresholds
        {
            MinFaceSizePx = Math.Max(MinFaceSizePx, other.MinFaceSizePx),
            MinBrightness = Math.Max(MinBrightness, other.MinBrightness),
            MinSharpness = Math.Max(MinSharpness, other.MinSharpness),
            MinConfidence = Math.Max(MinConfidence, other.MinConfidence),
            MaxYawDegrees = Math.Min(MaxYawDegrees, other.MaxYawDegrees),
            MaxPitchDegrees = Math.Min(MaxPitchDegrees, other.MaxPitchDegrees),
            MaxRollDegrees = Math.Min(MaxRollDegrees, other.MaxRollDegrees),
        };
    }

    /// <summary>Data annotations do not look into nested options; the owning options call this.</summary>
    public bool IsValid() => Validator.TryValidateObject(this, new ValidationContext(this), null, validateAllProperties: true);
}
