using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>Quality, pose and the reasons (Rekognition's names) a face would not be indexed.</summary>
public sealed class FaceQualityAssessor(FaceQualityOptions options)
{
    public FaceQualityOptions Options => options;

    public FaceQuality Measure(RgbaImage image, PixelRect box)
    {
        var (luma, detail) = FacePatchMetrics.Measure(image, box);
        return new FaceQuality(
            Brightness: (float)(luma / 255.0 * 100.0),
            Sharpness: ToSharpness(detail),
            FaceSizePx: Math.Min(box.Width, box.Height));
    }

    internal float ToSharpness(double detail) =>
        (float)(100.0 * (1.0 - Math.Exp(-detail / options.SharpnessScale)));

    public IReadOnlyList<UnindexedReason> Issues(FaceQuality quality, FacePose pose, float detectionScore)
    {
        var issues = new List<UnindexedReason>();
        if (Math.Abs(pose.Yaw) > options.MaxYaw || Math.Abs(pose.Pitch) > options.MaxPitch)
        {
            issues.Add(UnindexedReason.ExtremePose);
        }

        if (quality.Brightness < options.MinBrightness)
        {
            issues.Add(UnindexedReason.LowBrightness);
        }

        if (quality.Sharpness < options.MinSharpness)
        {
            issues.Add(UnindexedReason.LowSharpness);
        }

        if (detectionScore < options.MinConfidence)
        {
            issues.Add(UnindexedReason.LowConfidence);
        }

        if (quality.FaceSizePx < options.MinFaceSizePx)
        {
            issues.Add(UnindexedReason.SmallBoundingBox);
        }

        return issues;
    }
}
