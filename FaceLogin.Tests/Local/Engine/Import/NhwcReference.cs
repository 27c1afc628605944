namespace FaceLogin.Tests.Local.Engine.Import;

/// <summary>
/// Plain-loop NHWC implementations of the TF ops, written from TensorFlow's definitions and independent of the importer,
/// to check its ONNX output against. Batch is 1 throughout.
/// </summary>
internal static class NhwcReference
{
    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    /// <summary>TF's window placement: SAME gives ceil(in/stride) outputs with the odd padding pixel at the end.</summary>
    public static (int Output, int PadBefore) Window(string padding, int input, int kernel, int stride)
    {
        if (padding == "VALID")
        {
            return ((int)Math.Ceiling((input - kernel + 1) / (double)stride), 0);
        }

        var output = (int)Math.Ceiling(input / (double)stride);
        var total = Math.Max(((output - 1) * stride) + kernel - input, 0);
        return (output, total / 2);
    }

    /// <summary>Conv2D with filter [kh,kw,cin,cout], or depthwise with filter [kh,kw,cin,multiplier].</summary>
    public static (float[] Values, int[] Shape) Conv(float[] x, int[] shape, float[] filter, int kh, int kw, int filterOut, int stride, string padding, bool depthwise)
    {
        var (h, w, cin) = (shape[1], shape[2], shape[3]);
        var (oh, top) = Window(padding, h, kh, stride);
        var (ow, left) = Window(padding, w, kw, stride);
        var cout = depthwise ? cin * filterOut : filterOut;
        var result = new float[oh * ow * cout];
        for (var oy = 0; oy < oh; oy++)
        {
            for (var ox = 0; ox < ow; ox++)
            {
                for (var co = 0; co < cout; co++)
                {
                    double sum = 0;
                    for (var dy = 0; dy < kh; dy++)
                    {
                        for (var dx = 0; dx < kw; dx++)
                        {
                            var (iy, ix) = ((oy * stride) + dy - top, (ox * stride) + dx - left);
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            if (depthwise)
                            {
                                var (c, m) = (co / filterOut, co % filterOut);
                                sum += x[(((iy * w) + ix) * cin) + c] * filter[(((((dy * kw) + dx) * cin) + c) * filterOut) + m];
                            }
                            else
                            {
                                for (var ci = 0; ci < cin; ci++)
                                {
                                    sum += x[(((iy * w) + ix) * cin) + ci] * filter[(((((dy * kw) + dx) * cin) + ci) * cout) + co];
                                }
                            }
                        }
                    }

                    result[(((oy * ow) + ox) * cout) + co] = (float)sum;
                }
            }
        }

        return (result, [1, oh, ow, cout]);
    }

    /// <summary>Max or average pooling; TF's average divides by the number of real (unpadded) pixels in the window.</summary>
    public static (float[] Values, int[] Shape) Pool(float[] x, int[] shape, int k, int stride, string padding, bool max)
    {
        var (h, w, c) = (shape[1], shape[2], shape[3]);
        var (oh, top) = Window(padding, h, k, stride);
        var (ow, left) = Window(padding, w, k, stride);
        var result = new float[oh * ow * c];
        for (var oy = 0; oy < oh; oy++)
        {
            for (var ox = 0; ox < ow; ox++)
            {
                for (var ch = 0; ch < c; ch++)
                {
                    var (best, sum, count) = (float.NegativeInfinity, 0.0, 0);
                    for (var dy = 0; dy < k; dy++)
                    {
                        for (var dx = 0; dx < k; dx++)
                        {
                            var (iy, ix) = ((oy * stride) + dy - top, (ox * stride) + dx - left);
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                var v = x[(((iy * w) + ix) * c) + ch];
                                (best, sum, count) = (Math.Max(best, v), sum + v, count + 1);
                            }
                        }
                    }

                    result[(((oy * ow) + ox) * c) + ch] = max ? best : (float)(sum / count);
                }
            }
        }

        return (result, [1, oh, ow, c]);
    }

    /// <summary>Applies <paramref name="f"/>(value, channel) to an NHWC tensor whose last axis has <paramref name="channels"/> entries.</summary>
    public static float[] PerChannel(float[] x, int channels, Func<float, int, float> f) =>
        x.Select((v, i) => f(v, i % channels)).ToArray();

    public static float[] MatMul(float[] a, int rows, int inner, float[] b, int columns)
    {
        var result = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                double sum = 0;
                for (var k = 0; k < inner; k++)
                {
                    sum += a[(r * inner) + k] * b[(k * columns) + c];
                }

                result[(r * columns) + c] = (float)sum;
            }
        }

        return result;
    }

    public static float[] Softmax(float[] x, int lastAxis)
    {
        var result = new float[x.Length];
        for (var start = 0; start < x.Length; start += lastAxis)
        {
            var row = x.Skip(start).Take(lastAxis).ToArray();
            var max = row.Max();
            var exps = row.Select(v => Math.Exp(v - max)).ToArray();
            var total = exps.Sum();
            for (var i = 0; i < lastAxis; i++)
            {
                result[start + i] = (float)(exps[i] / total);
            }
        }

        return result;
    }
}
