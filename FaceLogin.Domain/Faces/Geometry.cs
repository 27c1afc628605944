namespace FaceLogin.Domain.Faces;

/// <summary>A point in pixels of the decoded, EXIF-oriented image.</summary>
public readonly record struct FacePoint(float X, float Y);

/// <summary>A rectangle in pixels of the decoded, EXIF-oriented image.</summary>
public readonly record struct PixelRect(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public FacePoint Centre => new(X + Width / 2, Y + Height / 2);
    public float Area => Width * Height;
}

/// <summary>
/// A face's box as ratios of the image's width and height (0..1), the way Rekognition reports it,
/// so that both engines speak the same units across the port.
/// </summary>
public readonly record struct BoundingBox(float Left, float Top, float Width, float Height)
{
    public static BoundingBox FromPixels(PixelRect rect, int imageWidth, int imageHeight) =>
        new(rect.X / imageWidth, rect.Y / imageHeight, rect.Width / imageWidth, rect.Height / imageHeight);

    public PixelRect ToPixels(int imageWidth, int imageHeight) =>
        new(Left * imageWidth, Top * imageHeight, Width * imageWidth, Height * imageHeight);
}

/// <summary>Head pose in degrees, Rekognition's convention: yaw left/right, pitch up/down, roll in-plane.</summary>
public readonly record struct FacePose(float Yaw, float Pitch, float Roll);

/// <summary>The five points Rekognition names eyeLeft, eyeRight, nose, mouthLeft, mouthRight, as ratios of the image.</summary>
public readonly record struct FaceLandmarks5(FacePoint EyeLeft, FacePoint EyeRight, FacePoint Nose, FacePoint MouthLeft, FacePoint MouthRight);

public static class BoundingBoxExtensions
{
    /// <summary>Area of the overlap over area of the union, 0..1 (0 for boxes that do not touch or have no area).</summary>
    public static float IntersectionOverUnion(this BoundingBox a, BoundingBox b)
    {
        var width = Math.Min(a.Left + a.Width, b.Left + b.Width) - Math.Max(a.Left, b.Left);
        var height = Math.Min(a.Top + a.Height, b.Top + b.Height) - Math.Max(a.Top, b.Top);
        if (width <= 0 || height <= 0)
        {
            return 0;
        }

        var overlap = width * height;
        var union = a.Width * a.Height + b.Width * b.Height - overlap;
        return union <= 0 ? 0 : overlap / union;
    }
}
