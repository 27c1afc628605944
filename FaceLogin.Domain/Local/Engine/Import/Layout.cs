namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>Axis and data conversions between TensorFlow's NHWC and ONNX's NCHW.</summary>
internal static class Layout
{
    public static readonly long[] NhwcToNchw = [0, 3, 1, 2];
    public static readonly long[] NchwToNhwc = [0, 2, 3, 1];

    /// <summary>Where a TF (NHWC) axis of a rank-4 tensor lives in NCHW.</summary>
    public static int NchwAxis(int tfAxis, int rank = 4)
    {
        var axis = tfAxis < 0 ? tfAxis + rank : tfAxis;
        return axis switch
        {
            0 => 0,
            1 => 2,
            2 => 3,
            3 => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(tfAxis), tfAxis, "Not an axis of a rank-4 tensor."),
        };
    }

    /// <summary>Re-orders a rank-4 NHWC array into NCHW order.</summary>
    public static float[] TransposeNhwcToNchw(float[] values, int[] nhwcShape)
    {
        var (n, h, w, c) = (nhwcShape[0], nhwcShape[1], nhwcShape[2], nhwcShape[3]);
        var result = new float[values.Length];
        for (var b = 0; b < n; b++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    for (var ch = 0; ch < c; ch++)
                    {
                        result[(((b * c) + ch) * h + y) * w + x] = values[(((b * h) + y) * w + x) * c + ch];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>TF broadcasting aligns shapes on the right: pads with leading ones up to <paramref name="rank"/>.</summary>
    public static int[] LeftPad(int[] shape, int rank) =>
        Enumerable.Repeat(1, rank - shape.Length).Concat(shape).ToArray();

    public static int[] Broadcast(int[] a, int[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var (pa, pb) = (LeftPad(a, rank), LeftPad(b, rank));
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            if (pa[i] != pb[i] && pa[i] != 1 && pb[i] != 1)
            {
                throw new InvalidDataException($"Shapes [{string.Join(',', a)}] and [{string.Join(',', b)}] do not broadcast.");
            }

            result[i] = Math.Max(pa[i], pb[i]);
        }

        return result;
    }

    public static long[] ToLongs(this int[] values) => values.Select(v => (long)v).ToArray();
}
