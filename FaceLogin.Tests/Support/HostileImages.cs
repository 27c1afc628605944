using System.Text;
using SkiaSharp;

namespace FaceLogin.Tests.Support;

/// <summary>
/// The hostile set of issue 9 built from real photos at run time: turned, dark, tiny, blurred, two people, no face, not an
/// image, a truncated JPEG, and the photo itself. Plain JPEGs without EXIF, as a camera roll saves a turned photo.
/// </summary>
public static class HostileImages
{
    /// <param name="photo">A photo of one person (an lfw-dev JPEG).</param>
    /// <param name="otherPerson">A photo of somebody else, put beside <paramref name="photo"/> for "two people".</param>
    public static IReadOnlyList<(string Name, byte[] Bytes)> From(byte[] photo, byte[] otherPerson)
    {
        using var face = SKImage.FromEncodedData(photo) ?? throw new ArgumentException("Not a decodable photo.", nameof(photo));
        using var other = SKImage.FromEncodedData(otherPerson) ?? throw new ArgumentException("Not a decodable photo.", nameof(otherPerson));
        int w = face.Width, h = face.Height;
        return
        [
            ("the photo itself", photo),
            ("rotated 180°", TurnedUpsideDown(face)),
            ("rotated 90°", Draw(h, w, c => { c.Translate(h, 0); c.RotateDegrees(90); }, face)),
            // The face at 8 % of its light: brightness about 4 of 100 (docs/accuracy.md, "Quality thresholds").
            ("very dark", Draw(w, h, _ => { }, face, new SKPaint { ColorFilter = SKColorFilter.CreateColorMatrix(Exposure(0.08f)) })),
            // Pasted at 0.3× into a 640×480 frame: the face about 30 px, below every door's minimum.
            ("tiny face", Draw(640, 480, c => { c.Clear(SKColors.Gray); c.Translate(260, 200); c.Scale(0.3f); }, face)),
            // σ 4 px: sharpness about 8 of 100 (σ 6 blurs this photo past detection).
            ("blurred", Blurred(face, 4)),
            ("two people side by side", SideBySide(face, other)),
            ("no face (a flat grey picture)", Draw(320, 240, c => c.Clear(SKColors.Gray), null)),
            ("not an image", Encoding.UTF8.GetBytes("this is a text file, not a photo")),
            ("a truncated JPEG", photo[..(photo.Length * 2 / 5)]),
        ];
    }

    /// <summary>The photo turned 180° (no EXIF: the pixels are turned).</summary>
    public static byte[] TurnedUpsideDown(byte[] photo)
    {
        using var image = SKImage.FromEncodedData(photo);
        return TurnedUpsideDown(image);
    }

    /// <summary>The photo under a Gaussian blur of <paramref name="sigma"/> pixels.</summary>
    public static byte[] Blurred(byte[] photo, float sigma)
    {
        using var image = SKImage.FromEncodedData(photo);
        return Blurred(image, sigma);
    }

    private static byte[] TurnedUpsideDown(SKImage image) =>
        Draw(image.Width, image.Height, c => c.RotateDegrees(180, image.Width / 2f, image.Height / 2f), image);

    private static byte[] Blurred(SKImage image, float sigma) =>
        Draw(image.Width, image.Height, _ => { }, image, new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma) });

    private static byte[] SideBySide(SKImage left, SKImage right) =>
        Draw(left.Width + right.Width, Math.Max(left.Height, right.Height), c =>
        {
            c.DrawImage(right, left.Width, 0, new SKSamplingOptions(SKFilterMode.Linear));
        }, left);

    private static float[] Exposure(float factor) =>
    [
        factor, 0, 0, 0, 0,
        0, factor, 0, 0, 0,
        0, 0, factor, 0, 0,
        0, 0, 0, 1, 0,
    ];

    /// <summary>A JPEG of <paramref name="width"/>×<paramref name="height"/>: the canvas transformed, then the image drawn at 0, 0.</summary>
    private static byte[] Draw(int width, int height, Action<SKCanvas> transform, SKImage? image, SKPaint? paint = null)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        transform(surface.Canvas);
        if (image is not null)
        {
            surface.Canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }

        paint?.Dispose();
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }
}
