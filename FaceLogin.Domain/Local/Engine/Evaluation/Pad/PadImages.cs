using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

internal static class PadImages
{
    public static byte[] EncodeJpeg(byte[] rgba, SKImageInfo info, int quality)
    {
        using var data = SKData.CreateCopy(rgba);
        using var image = SKImage.FromPixels(info, data);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return encoded.ToArray();
    }
}
