using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>
/// The one rule about EXIF orientations that everything showing or measuring an image needs: orientations 5-8 (transpose,
/// the two quarter turns, transverse) swap width and height, so the upright picture is h×w. Face boxes from every engine are
/// ratios of that upright picture.
/// </summary>
internal static class ImageOrientation
{
    public static bool SwapsAxes(ExifOrientation orientation) =>
        orientation is ExifOrientation.Transpose or ExifOrientation.Rotate90Clockwise or ExifOrientation.Transverse or ExifOrientation.Rotate90CounterClockwise;

    /// <summary>Skia numbers its origins as EXIF numbers its orientations (TopLeft = 1 … LeftBottom = 8).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) => SwapsAxes((ExifOrientation)(int)origin);
}
