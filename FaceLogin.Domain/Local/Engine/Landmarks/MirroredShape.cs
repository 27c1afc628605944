using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>
/// The iBUG 68-point layout under a left–right mirror: which point of the mirrored face each point becomes.
/// Lets a landmark net also look at the mirrored crop and average both answers (test-time flip).
/// </summary>
internal static class MirroredShape
{
    /// <summary>Point i of a face is point <c>Partner[i]</c> of its mirror image.</summary>
    public static readonly int[] Partner = BuildPartners();

    /// <summary>
    /// Averages a shape found on a crop with one found on the mirrored crop. <paramref name="mirroredInCrop"/> are the
    /// mirrored net's points, still in the mirrored crop's coordinates (0..size); <paramref name="mirrorBack"/> turns
    /// a crop point back into an image point.
    /// </summary>
    public static FacePoint[] Average(IReadOnlyList<FacePoint> direct, IReadOnlyList<FacePoint> mirroredInCrop, float cropSize, Func<FacePoint, FacePoint> cropToImage)
    {
        var result = new FacePoint[FaceShape.PointCount];
        for (var i = 0; i < result.Length; i++)
        {
            var m = mirroredInCrop[Partner[i]];
            var back = cropToImage(new FacePoint(cropSize - m.X, m.Y));
            result[i] = new FacePoint((direct[i].X + back.X) / 2, (direct[i].Y + back.Y) / 2);
        }

        return result;
    }

    private static int[] BuildPartners()
    {
        var partner = Enumerable.Range(0, FaceShape.PointCount).ToArray();
        void Pair(int a, int b)
        {
            partner[a] = b;
            partner[b] = a;
        }

        for (var i = 0; i <= 7; i++)
        {
            Pair(i, 16 - i);
        }

        for (var i = 17; i <= 21; i++)
        {
            Pair(i, 43 - i);
        }

        Pair(31, 35);
        Pair(32, 34);
        Pair(36, 45);
        Pair(37, 44);
        Pair(38, 43);
        Pair(39, 42);
        Pair(40, 47);
        Pair(41, 46);
        Pair(48, 54);
        Pair(49, 53);
        Pair(50, 52);
        Pair(55, 59);
        Pair(56, 58);
        Pair(60, 64);
        Pair(61, 63);
        Pair(65, 67);
        return partner;
    }
}
