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
        // Output channel c reads source channel order[c]; per-channel affine value map.
        int r = format.Bgr ? 2 : 0, b = format.Bgr ? 0 : 2;
        float scale = format.Scale, o0 = format.Offsets[0], o1 = format.Offsets[1], o2 = format.Offsets[2], border = format.Border;
        int step0, step1, step2, pixelStep;
        if (format.ChannelsFirst)
        {
            (step0, step1, step2, pixelStep) = (0, plane, 2 * plane, 1);
        }
        else
        {
            (step0, step1, step2, pixelStep) = (0, 1, 2, 3);
        }

        for (var y = 0; y < height; y++)
        {
            // Walk the row incrementally: the map is affine, so each step adds the same offset.
            var sx = map.B * y + map.C;
            var sy = map.E * y + map.F;
            var t = y * width * pixelStep;
            for (var x = 0; x < width; x++, sx += map.A, sy += map.D, t += pixelStep)
            {
                if (sx < -0.5 || sy < -0.5 || sx > sw - 0.5 || sy > sh - 0.5)
                {
                    tensor[t + step0] = border;
                    tensor[t + step1] = border;
                    tensor[t + step2] = border;
                    continue;
                }

                var cx = Math.Clamp(sx, 0, sw - 1);
                var cy = Math.Clamp(sy, 0, sh - 1);
                var x0 = (int)cx;
                var y0 = (int)cy;
                var dx = x0 + 1 < sw ? 4 : 0;
                var dy = y0 + 1 < sh ? stride : 0;
                var fx = (float)(cx - x0);
                var fy = (float)(cy - y0);
                var i00 = y0 * stride + x0 * 4;
                var w00 = (1 - fx) * (1 - fy);
                var w10 = fx * (1 - fy);
                var w01 = (1 - fx) * fy;
                var w11 = fx * fy;
                float Channel(int c) =>
                    w00 * src[i00 + c] + w10 * src[i00 + dx + c] + w01 * src[i00 + dy + c] + w11 * src[i00 + dy + dx + c];
                tensor[t + step0] = Channel(r) * scale + o0;
                tensor[t + step1] = Channel(1) * scale + o1;
                tensor[t + step2] = Channel(b) * scale + o2;
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
}
