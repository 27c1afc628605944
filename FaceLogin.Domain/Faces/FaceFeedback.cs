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
        ImageProblem.TooLarge => "The photo file is too large. Use a smaller photo (at most 5 MB).",
        ImageProblem.TooManyPixels => "The photo has too many pixels. Use a smaller photo.",
        _ => "The photo could not be used. Take it again.",
    };

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
