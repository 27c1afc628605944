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
    public static float[] TransposeNhwcToNchw(float[] values, int[] nhwcShape) => Permute4(values, nhwcShape, [0, 3, 1, 2]);

    /// <summary>
    /// Transposes a row-major rank-4 array: axis <c>i</c> of the result is axis <c>perm[i]</c> of the source (ONNX
    /// Transpose's convention). Every TF → ONNX layout change of weights is one of these.
    /// </summary>
    public static float[] Permute4(float[] values, int[] shape, ReadOnlySpan<int> perm)
    {
        if (shape.Length != 4 || perm.Length != 4 || values.Length != shape[0] * shape[1] * shape[2] * shape[3])
        {
            throw new ArgumentException($"Permute4 needs a rank-4 shape matching {values.Length} values and a rank-4 permutation.");
        }

        int[] strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
        var (d0, d1, d2, d3) = (shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]);
        var (s0, s1, s2, s3) = (strides[perm[0]], strides[perm[1]], strides[perm[2]], strides[perm[3]]);
        var result = new float[values.Length];
        var target = 0;
        for (var a = 0; a < d0; a++)
        {
            for (var b = 0; b < d1; b++)
            {
                for (var c = 0; c < d2; c++)
                {
                    for (var d = 0; d < d3; d++)
                    {
                        result[target++] = values[(a * s0) + (b * s1) + (c * s2) + (d * s3)];
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
