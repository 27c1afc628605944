using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>
/// Brightness and sharpness of a face, measured on its box resampled to <see cref="PatchSize"/> px grey. Judging blur
/// relative to the face's own size means a large soft face is not called sharp for being large; and at 48 px the
/// area filter has already averaged away sensor noise and JPEG blocks, which a finer patch mistakes for detail
/// (measured: docs/accuracy.md, "Quality thresholds").
/// </summary>
internal static class FacePatchMetrics
{
    public const int PatchSize = 48;

    /// <summary>Keeps a flat patch (no contrast at all) from dividing by zero; small against any real face's variance.</summary>
    private const double ContrastFloor = 25;

    /// <summary>
    /// Rec. 601 luma of the patch: its mean (0..255), and its detail: the variance of the 4-neighbour Laplacian divided by
    /// the variance of the luma. The ratio is the share of the face's contrast that sits in the finest detail, so blur
    /// lowers it while dim light and low contrast (which shrink both) do not.
    /// </summary>
    public static (double MeanLuma, double Detail) Measure(RgbaImage image, PixelRect box, int patchSize = PatchSize)
    {
        var side = Math.Max(box.Width, box.Height);
        var k = side / patchSize;
        var left = box.Centre.X - side / 2;
        var top = box.Centre.Y - side / 2;
        var patch = ImageWarp.ToImage(image, Affine2D.ScaleTranslate(k, k, left + 0.5 * k - 0.5, top + 0.5 * k - 0.5), patchSize, patchSize);
        var luma = new float[patchSize * patchSize];
        double sum = 0, sumSquares = 0;
        for (var i = 0; i < luma.Length; i++)
        {
            var p = patch.Pixels.AsSpan(i * 4, 3);
            luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
            sum += luma[i];
            sumSquares += luma[i] * luma[i];
        }

        var mean = sum / luma.Length;
        var variance = Math.Max(0, sumSquares / luma.Length - mean * mean);
        return (mean, LaplacianVariance(luma, patchSize, patchSize) / (variance + ContrastFloor));
    }

    /// <summary>Variance of the 4-neighbour Laplacian over the interior pixels: high for crisp edges, near zero for blur.</summary>
    public static double LaplacianVariance(ReadOnlySpan<float> luma, int width, int height)
    {
        double sum = 0, sumSquares = 0;
        var n = 0;
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = y * width + x;
                double lap = luma[i - 1] + luma[i + 1] + luma[i - width] + luma[i + width] - 4 * luma[i];
                sum += lap;
                sumSquares += lap * lap;
                n++;
            }
        }

        if (n == 0)
        {
            return 0;
        }

        var mean = sum / n;
        return Math.Max(0, sumSquares / n - mean * mean);
    }
}
