using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Imaging;

/// <summary>How a warp writes floats for a model: layout, channel order and the affine value map <c>v·Scale + Offset[c]</c>.</summary>
/// <param name="Offsets">Per output channel (in output order), added after scaling.</param>
/// <param name="Border">Value written where the destination falls outside the source, already in model units.</param>
internal readonly record struct TensorFormat(bool ChannelsFirst, bool Bgr, float Scale, float[] Offsets, float Border)
{
    public static TensorFormat Nhwc(float scale, float offset, float border) => new(false, false, scale, [offset, offset, offset], border);
}

/// <summary>The converted models' shared input contract: NHWC float RGB 0..255, scaling inside the graph (docs/engine.md).</summary>
internal static class ModelInput
{
    public static TensorFormat Rgb255 { get; } = TensorFormat.Nhwc(1f, 0f, 0f);
}

/// <summary>
/// Bilinear warps of an <see cref="RgbaImage"/>. A destination pixel centre at integer (x, y) reads the source at
/// <c>map(x, y)</c>, source pixel centres also at integers, as dlib's <c>transform_image</c> does. When the map shrinks
/// by more than 2×, the source is first halved (2×2 box) as often as needed, like dlib's pyramid, so that bilinear
/// sampling does not alias into nearest-neighbour.
/// </summary>
internal static class ImageWarp
{
    public static RgbaImage ToImage(RgbaImage source, Affine2D destinationToSource, int width, int height)
    {
        var (level, map) = PrefilterFor(source, destinationToSource);
        var dst = new byte[width * height * 4];
        var src = level.Pixels;
        int sw = level.Width, sh = level.Height, stride = level.Stride;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = map.Apply(x, y);
                var d = (y * width + x) * 4;
                var x0 = (int)Math.Floor(sx);
                var y0 = (int)Math.Floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= sw || y0 + 1 >= sh)
                {
                    // dlib's interpolate_bilinear needs all four neighbours inside, else the chip pixel stays black.
                    dst[d + 3] = 255;
                    continue;
                }

                var fx = sx - x0;
                var fy = sy - y0;
                var i00 = y0 * stride + x0 * 4;
                var i10 = i00 + 4;
                var i01 = i00 + stride;
                var i11 = i01 + 4;
                var w00 = (1 - fx) * (1 - fy);
                var w10 = fx * (1 - fy);
                var w01 = (1 - fx) * fy;
                var w11 = fx * fy;
                for (var c = 0; c < 3; c++)
                {
                    var v = w00 * src[i00 + c] + w10 * src[i10 + c] + w01 * src[i01 + c] + w11 * src[i11 + c];
                    dst[d + c] = (byte)Math.Clamp((int)(v + 0.5), 0, 255);
                }

                dst[d + 3] = 255;
            }
        }

        return new RgbaImage(width, height, dst);
    }

    /// <summary>Warps straight into a model's input tensor (batch of one) without an intermediate image.</summary>
    public static void ToTensor(RgbaImage source, Affine2D destinationToSource, int width, int height, TensorFormat format, Span<float> tensor)
    {
        if (tensor.Length < width * height * 3)
        {
            throw new ArgumentException("The tensor is smaller than the warp.", nameof(tensor));
        }

        var (level, map) = PrefilterFor(source, destinationToSource);
        var src = level.Pixels;
        int sw = level.Width, sh = level.Height, stride = level.Stride;
        var plane = width * height;
        Span<float> rgb = stackalloc float[3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = map.Apply(x, y);
                var inside = SampleBilinear(src, sw, sh, stride, sx, sy, rgb);
                var pixel = y * width + x;
                for (var c = 0; c < 3; c++)
                {
                    var sourceChannel = format.Bgr ? 2 - c : c;
                    var value = inside ? rgb[sourceChannel] * format.Scale + format.Offsets[c] : format.Border;
                    tensor[format.ChannelsFirst ? c * plane + pixel : pixel * 3 + c] = value;
                }
            }
        }
    }

    /// <summary>Halves the source (2×2 box) until the map shrinks by at most 2×; returns the level and the map into it.</summary>
    internal static (RgbaImage Level, Affine2D Map) PrefilterFor(RgbaImage source, Affine2D destinationToSource)
    {
        var level = source;
        var map = destinationToSource;
        while (map.Scale > 2 && level.Width >= 4 && level.Height >= 4)
        {
            level = HalfSize(level);
            // A level pixel centre i sits at source 2i + 0.5.
            map = Affine2D.ScaleTranslate(0.5, 0.5, -0.25, -0.25).After(map);
        }

        return (level, map);
    }

    internal static RgbaImage HalfSize(RgbaImage source)
    {
        int w = source.Width / 2, h = source.Height / 2;
        var dst = new byte[w * h * 4];
        var src = source.Pixels;
        var stride = source.Stride;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var s = 2 * y * stride + 2 * x * 4;
                var d = (y * w + x) * 4;
                for (var c = 0; c < 4; c++)
                {
                    dst[d + c] = (byte)((src[s + c] + src[s + 4 + c] + src[s + stride + c] + src[s + stride + 4 + c] + 2) >> 2);
                }
            }
        }

        return new RgbaImage(w, h, dst);
    }

    /// <summary>Bilinear sample with edge clamping; false when the point lies outside the image by more than half a pixel.</summary>
    private static bool SampleBilinear(byte[] src, int sw, int sh, int stride, double sx, double sy, Span<float> rgb)
    {
        if (sx < -0.5 || sy < -0.5 || sx > sw - 0.5 || sy > sh - 0.5)
        {
            return false;
        }

        SampleClamped(src, sw, sh, stride, sx, sy, rgb);
        return true;
    }

    private static void SampleClamped(byte[] src, int sw, int sh, int stride, double sx, double sy, Span<float> rgb)
    {
        sx = Math.Clamp(sx, 0, sw - 1);
        sy = Math.Clamp(sy, 0, sh - 1);
        var x0 = (int)sx;
        var y0 = (int)sy;
        var x1 = Math.Min(x0 + 1, sw - 1);
        var y1 = Math.Min(y0 + 1, sh - 1);
        var fx = (float)(sx - x0);
        var fy = (float)(sy - y0);
        int i00 = y0 * stride + x0 * 4, i10 = y0 * stride + x1 * 4, i01 = y1 * stride + x0 * 4, i11 = y1 * stride + x1 * 4;
        for (var c = 0; c < 3; c++)
        {
            var top = src[i00 + c] + (src[i10 + c] - src[i00 + c]) * fx;
            var bottom = src[i01 + c] + (src[i11 + c] - src[i01 + c]) * fx;
            rgb[c] = top + (bottom - top) * fy;
        }
    }
}
