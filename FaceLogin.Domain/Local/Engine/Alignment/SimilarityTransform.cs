using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Alignment;

/// <summary>
/// Least-squares similarity transform (rotation, uniform scale, translation; no reflection) taking one point set onto
/// another: Umeyama's estimate, which is what dlib's <c>find_similarity_transform</c> computes. In 2-D it has a closed
/// form: with centred points f and t, <c>s·cosθ = Σ(f·t) / Σ|f|²</c> and <c>s·sinθ = Σ(f×t) / Σ|f|²</c>.
/// </summary>
internal static class SimilarityTransform
{
    public static Affine2D Estimate(ReadOnlySpan<FacePoint> from, ReadOnlySpan<FacePoint> to)
    {
        if (from.Length != to.Length || from.Length < 2)
        {
            throw new ArgumentException("Need at least two pairs of points, as many in each set.");
        }

        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < from.Length; i++)
        {
            fx += from[i].X;
            fy += from[i].Y;
            tx += to[i].X;
            ty += to[i].Y;
        }

        var n = from.Length;
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            var ax = from[i].X - fx;
            var ay = from[i].Y - fy;
            var bx = to[i].X - tx;
            var by = to[i].Y - ty;
            dot += ax * bx + ay * by;
            cross += ax * by - ay * bx;
            norm += ax * ax + ay * ay;
        }

        if (norm < 1e-12)
        {
            throw new ArgumentException("The source points coincide.");
        }

        var a = dot / norm;
        var b = cross / norm;
        // [a -b; b a] · (p - mean_from) + mean_to
        return new Affine2D(a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy));
    }
}
