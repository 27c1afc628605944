using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>
/// Brightness and sharpness of a face, measured on its box resampled to <see cref="PatchSize"/> px grey: about the
/// resolution the recogniser sees the face at, so a large but soft face is not called sharp only because it is large.
/// </summary>
internal static class FacePatchMetrics
{
    public const int PatchSize = 96;

    /// <summary>Rec. 601 luma of the patch: mean (0..255) and variance of its 4-neighbour Laplacian.</summary>
    public static (double MeanLuma, double LaplacianVariance) Measure(RgbaImage image, PixelRect box)
    {
        var side = Math.Max(box.Width, box.Height);
        var k = side / PatchSize;
        var left = box.Centre.X - side / 2;
        var top = box.Centre.Y - side / 2;
        var patch = ImageWarp.ToImage(image, Affine2D.ScaleTranslate(k, k, left + 0.5 * k - 0.5, top + 0.5 * k - 0.5), PatchSize, PatchSize);
        var luma = new float[PatchSize * PatchSize];
        double sum = 0;
        for (var i = 0; i < luma.Length; i++)
        {
            var p = patch.Pixels.AsSpan(i * 4, 3);
            luma[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
            sum += luma[i];
        }

        return (sum / luma.Length, LaplacianVariance(luma, PatchSize, PatchSize));
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
