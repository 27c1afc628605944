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
    /// <summary>More bytes than the configured limit (5 MB by default, Rekognition's limit).</summary>
    TooLarge,
    /// <summary>More pixels than the configured limit (40 megapixels by default): refused before allocating them.</summary>
    TooManyPixels,
}

/// <summary>
/// Thrown by a face collection when an image is refused before detection. The services turn it into a typed result;
/// it never reaches a user as an exception.
/// </summary>
public sealed class FaceImageRejectedException(ImageProblem problem, string message) : Exception(message)
{
    public ImageProblem Problem { get; } = problem;
}
