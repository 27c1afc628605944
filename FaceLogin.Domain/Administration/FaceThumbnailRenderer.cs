using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Decoding;
using SkiaSharp;

namespace FaceLogin.Domain.Administration;

/// <summary>
/// Cuts a face out of a stored image and scales it down to a JPEG thumbnail.
/// Face boxes are ratios of the EXIF-oriented image (the engines decode with the orientation applied), so the raw pixels are
/// drawn through the orientation's transform and the box is cut in oriented coordinates: a phone photo stored sideways
/// with an orientation tag still gives an upright face.
/// </summary>
internal static class FaceThumbnailRenderer
{
    /// <summary>Context kept around the face on each side, as a share of the face box's larger side.</summary>
    private const float Margin = 0.3f;

    private const int JpegQuality = 85;

    /// <summary>Null when the image cannot be decoded or the box lies outside it.</summary>
    public static byte[]? Render(byte[] image, BoundingBox box, int maxSide)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }

        var origin = codec.EncodedOrigin;
        var fullSize = codec.Info.Size;
        var (fullWidth, fullHeight) = ImageOrientation.SwapsAxes(origin) ? (fullSize.Height, fullSize.Width) : (fullSize.Width, fullSize.Height);
        var fullCrop = SquareCropAround(box.ToPixels(fullWidth, fullHeight), fullWidth, fullHeight);
        if (fullCrop.Width < 1 || fullCrop.Height < 1)
        {
            return null;
        }

        // Decode no larger than the thumbnail needs: JPEG decoders scale by n/8 almost for free. The codec may round the
        // scale down, so ask for twice the need and fall back to full size if it still comes out too small.
        var wanted = Math.Min(1f, maxSide / Math.Max(fullCrop.Width, fullCrop.Height));
        var decodeSize = codec.GetScaledDimensions(Math.Min(1f, 2 * wanted));
        if (decodeSize.Width < fullSize.Width * wanted || decodeSize.Height < fullSize.Height * wanted)
        {
            decodeSize = fullSize;
        }

        using var raw = new SKBitmap(new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var decoded = codec.GetPixels(raw.Info, raw.GetPixels());
        if (decoded is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            return null;
        }

        var (width, height) = ImageOrientation.SwapsAxes(origin) ? (raw.Height, raw.Width) : (raw.Width, raw.Height);
        var crop = SquareCropAround(box.ToPixels(width, height), width, height);
        var scale = Math.Min(1f, maxSide / Math.Max(crop.Width, crop.Height));
        var outWidth = Math.Max(1, (int)Math.Round(crop.Width * scale));
        var outHeight = Math.Max(1, (int)Math.Round(crop.Height * scale));

        using var surface = SKSurface.Create(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var rawToOutput = SKMatrix.CreateScale(outWidth / crop.Width, outHeight / crop.Height)
            .PreConcat(SKMatrix.CreateTranslation(-crop.X, -crop.Y))
            .PreConcat(OrientationTransform(origin, raw.Width, raw.Height));
        canvas.SetMatrix(rawToOutput);
        using var rawImage = SKImage.FromBitmap(raw);
        canvas.DrawImage(rawImage, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Flush();

        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return jpeg?.ToArray();
    }

    /// <summary>A square around the face, grown by the margin, cut back to the image where it runs over an edge.</summary>
    private static PixelRect SquareCropAround(PixelRect face, int width, int height)
    {
        var side = Math.Max(face.Width, face.Height) * (1 + 2 * Margin);
        var centre = face.Centre;
        var left = Math.Clamp(centre.X - side / 2, 0, width);
        var top = Math.Clamp(centre.Y - side / 2, 0, height);
        var right = Math.Clamp(centre.X + side / 2, 0, width);
        var bottom = Math.Clamp(centre.Y + side / 2, 0, height);
        return new PixelRect(left, top, right - left, bottom - top);
    }

    /// <summary>
    /// Maps raw pixel coordinates (as stored) to oriented ones (as displayed), for a raw image of <paramref name="w"/>×<paramref name="h"/>.
    /// E.g. RightTop (EXIF 6): the stored first row is the displayed right-hand column, so (x, y) → (h − y, x).
    /// </summary>
    internal static SKMatrix OrientationTransform(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => Affine(-1, 0, w, 0, 1, 0),
        SKEncodedOrigin.BottomRight => Affine(-1, 0, w, 0, -1, h),
        SKEncodedOrigin.BottomLeft => Affine(1, 0, 0, 0, -1, h),
        SKEncodedOrigin.LeftTop => Affine(0, 1, 0, 1, 0, 0),
        SKEncodedOrigin.RightTop => Affine(0, -1, h, 1, 0, 0),
        SKEncodedOrigin.RightBottom => Affine(0, -1, h, -1, 0, w),
        SKEncodedOrigin.LeftBottom => Affine(0, 1, 0, -1, 0, w),
        _ => SKMatrix.Identity,
    };

    /// <summary>x' = a·x + b·y + c, y' = d·x + e·y + f.</summary>
    private static SKMatrix Affine(float a, float b, float c, float d, float e, float f) =>
        new(a, b, c, d, e, f, 0, 0, 1);
}
