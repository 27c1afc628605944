using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// What one door (<see cref="ImageDoor"/>) accepts of an image, checked from the bytes and the header before anything is
/// decoded: the file's size, the pixels it declares, and for a progressive JPEG the coefficient memory its decoder must hold.
/// One type and one check for every door; only the numbers differ (<see cref="ImageBudgetOptions"/>).
/// </summary>
public sealed class ImageBudget
{
    /// <summary>The largest file accepted, in bytes; at most 5 MB, what Rekognition and the engine take.</summary>
    [Range(1024, 5L * 1024 * 1024)]
    public long MaxBytes { get; set; }

    /// <summary>The most pixels the header may declare (width × height).</summary>
    [Range(64 * 64, 100_000_000)]
    public long MaxPixels { get; set; }

    /// <summary>
    /// The most memory a progressive JPEG's coefficient buffer may take (<see cref="ImageHeader.ProgressiveCoefficientBytes"/>):
    /// libjpeg keeps every block's coefficients until the last scan, so a small, flat progressive file of many pixels costs
    /// hundreds of megabytes however small it is decoded. Baseline JPEGs and PNGs are decoded a band at a time and are bounded
    /// by <see cref="MaxPixels"/> alone.
    /// </summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long MaxProgressiveCoefficientBytes { get; set; }

    /// <summary>
    /// Refuses, with the message the person sees, an image over this budget; returns its header (null for bytes that are no
    /// JPEG/PNG frame at all, which the decoder then refuses with its own message). Allocates nothing.
    /// </summary>
    public ImageHeader? Check(ReadOnlySpan<byte> image)
    {
        if (image.Length > MaxBytes)
        {
            throw Refused(ImageProblem.TooLarge, FaceFeedback.TooLarge(MaxBytes));
        }

        if (ImageHeader.TryRead(image) is not { } header)
        {
            return null;
        }

        if (header.Pixels > MaxPixels)
        {
            throw Refused(ImageProblem.TooManyPixels, FaceFeedback.TooManyPixels(header.Width, header.Height, MaxPixels));
        }

        if (header.ProgressiveCoefficientBytes > MaxProgressiveCoefficientBytes)
        {
            throw Refused(ImageProblem.TooManyPixels, FaceFeedback.ProgressiveTooLarge(header.Width, header.Height));
        }

        return header;
    }

    private static FaceImageRejectedException Refused(ImageProblem problem, string feedback) => new(problem, feedback) { Feedback = feedback };

    /// <summary>"2 MB", "5 MB", "512 KB": what the messages and docs say (binary units, as the limits are set).</summary>
    public static string Describe(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB";
}
