namespace FaceLogin.Domain.Faces;

/// <summary>What is wrong with an image that was refused before any face was looked for.</summary>
public enum ImageProblem
{
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>The bytes are not a JPEG or PNG (judged by content, not by name).</summary>
    UnsupportedFormat,
    /// <summary>A JPEG or PNG header, but the pixels cannot be decoded.</summary>
    Corrupt,
    /// <summary>More bytes than the door's limit (<see cref="Cost.ImageBudget.MaxBytes"/>) or the engine's.</summary>
    TooLarge,
    /// <summary>
    /// More pixels than the door's limit or the engine's, or a progressive JPEG whose coefficients would take more memory than the
    /// door allows: refused from the header, before allocating anything.
    /// </summary>
    TooManyPixels,
}

/// <summary>
/// Thrown by a face collection when an image is refused before detection. The services turn it into a typed result;
/// it never reaches a user as an exception.
/// </summary>
public sealed class FaceImageRejectedException(ImageProblem problem, string message) : Exception(message)
{
    public ImageProblem Problem { get; } = problem;

    /// <summary>
    /// What to tell the person when the refusal knows more than its <see cref="Problem"/> (a door's own limit, see
    /// <see cref="Cost.ImageBudget"/>); null to use <see cref="FaceFeedback.ForImageProblem"/>.
    /// </summary>
    public string? Feedback { get; init; }
}
