using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>The eight EXIF orientations, numbered as in the EXIF standard (1 = upright).</summary>
internal enum ExifOrientation
{
    Upright = 1,
    FlipHorizontal = 2,
    Rotate180 = 3,
    FlipVertical = 4,
    Transpose = 5,
    Rotate90Clockwise = 6,
    Transverse = 7,
    Rotate90CounterClockwise = 8,
}

/// <summary>Turns stored pixels into the picture a viewer sees, as phones expect when they only set the EXIF tag.</summary>
internal static class ExifOrientationTransform
{
    public static RgbaImage Apply(RgbaImage stored, ExifOrientation orientation)
    {
        if (orientation is ExifOrientation.Upright or < ExifOrientation.Upright or > ExifOrientation.Rotate90CounterClockwise)
        {
            return stored;
        }

        int w = stored.Width, h = stored.Height;
        var swapsAxes = ImageOrientation.SwapsAxes(orientation);
        int outW = swapsAxes ? h : w, outH = swapsAxes ? w : h;
        var src = stored.Pixels;
        var dst = new byte[src.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (dx, dy) = orientation switch
                {
                    ExifOrientation.FlipHorizontal => (w - 1 - x, y),
                    ExifOrientation.Rotate180 => (w - 1 - x, h - 1 - y),
                    ExifOrientation.FlipVertical => (x, h - 1 - y),
                    ExifOrientation.Transpose => (y, x),
                    ExifOrientation.Rotate90Clockwise => (h - 1 - y, x),
                    ExifOrientation.Transverse => (h - 1 - y, w - 1 - x),
                    _ => (y, w - 1 - x),
                };
                var s = (y * w + x) * 4;
                var d = (dy * outW + dx) * 4;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
                dst[d + 3] = src[s + 3];
            }
        }

        return new RgbaImage(outW, outH, dst);
    }
}
