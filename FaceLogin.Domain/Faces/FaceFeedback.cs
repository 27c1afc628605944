using System.Globalization;

namespace FaceLogin.Domain.Faces;

/// <summary>
/// What to tell a person about their photo, in plain words, one message per problem.
/// Shared by sign-up and sign-in so the same problem always reads the same.
/// </summary>
public static class FaceFeedback
{
    public const string NoFace = "We couldn't see a face. Face the camera in good light.";

    public const string MultipleFaces = "More than one face is in the picture. Make sure only you are in view.";

    public static string ForImageProblem(ImageProblem problem) => problem switch
    {
        ImageProblem.Empty => "No photo was received. Take a photo and try again.",
        ImageProblem.UnsupportedFormat => "That file is not a photo we can read. Use a JPEG or PNG image.",
        ImageProblem.Corrupt => "The photo could not be read; it may be damaged. Take it again.",
        ImageProblem.TooLarge => "The photo file is too large. Use a smaller photo.",
        ImageProblem.TooManyPixels => "The photo has too many pixels. Use a smaller photo.",
        _ => "The photo could not be used. Take it again.",
    };

    /// <summary>What a refused image is told: the refusal's own words when it has them (a door's limit), else its problem's.</summary>
    public static string ForRejection(FaceImageRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return rejection.Feedback ?? ForImageProblem(rejection.Problem);
    }

    /// <summary>A file over a door's byte limit; the number is that door's.</summary>
    public static string TooLarge(long maxBytes) =>
        $"The photo file is too large. Use a smaller photo (at most {Cost.ImageBudget.Describe(maxBytes)}).";

    /// <summary>An image declaring more pixels than a door accepts; the number is that door's.</summary>
    public static string TooManyPixels(int width, int height, long maxPixels) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The photo has too many pixels ({width}×{height}). Use a smaller photo (at most {maxPixels / 1_000_000.0:0.#} megapixels).");

    /// <summary>A progressive JPEG whose decoding would hold more coefficient memory than the door allows.</summary>
    public static string ProgressiveTooLarge(int width, int height) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The photo is a progressive JPEG of {width}×{height} pixels, too large to read at this size. Use a smaller photo, or save it as a standard (baseline) JPEG.");

    /// <summary>One sentence per distinct problem, the most actionable first (as the reasons are ordered).</summary>
    public static string ForQuality(IReadOnlyList<UnindexedReason> reasons)
    {
        var sentences = reasons.Select(ForReason).Distinct(StringComparer.Ordinal).ToArray();
        return sentences.Length == 0 ? ForReason(UnindexedReason.LowFaceQuality) : string.Join(" ", sentences);
    }

    public static string ForReason(UnindexedReason reason) => reason switch
    {
        UnindexedReason.ExceedsMaxFaces => MultipleFaces,
        UnindexedReason.RotatedFace => "The photo is sideways or upside down. Turn it upright and try again.",
        UnindexedReason.ExtremePose => "Your face is turned away. Look straight at the camera.",
        UnindexedReason.LowBrightness => "The photo is too dark. Turn towards a light or add light in front of you.",
        UnindexedReason.LowSharpness => "The photo is blurred. Hold still and make sure the camera is in focus.",
        UnindexedReason.SmallBoundingBox => "Your face is too small in the picture. Come closer to the camera.",
        _ => // LowConfidence, LowFaceQuality
            "Your face isn't clear enough in the photo. Face the camera in good light and try again.",
    };
}
