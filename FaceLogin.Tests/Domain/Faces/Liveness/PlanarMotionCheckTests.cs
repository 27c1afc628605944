using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Tests.Domain.Faces.Liveness;

/// <summary>
/// The same coarse average head seen by the same camera, once as a real head and once as a flat picture of it: turned by
/// the same angle, the picture's landmarks move by one homography and the head's do not.
/// </summary>
public sealed class PlanarMotionCheckTests
{
    private const double Focal = 900;
    private const double CameraDistance = 4.5; // face widths: a face about 25 cm from a phone
    private const double PixelNoise = 0.5;     // landmark jitter in pixels, on a face about 200 px wide

    private readonly PlanarMotionCheck _check = new();

    [Fact]
    public void A_flat_picture_under_an_exact_homography_leaves_no_residual()
    {
        var frontal = Shape(AverageHead(flat: true), yawDegrees: 0, pitchDegrees: 0, noise: null);
        var tilted = Shape(AverageHead(flat: true), yawDegrees: 35, pitchDegrees: -15, noise: null);

        Assert.InRange(_check.Residual(frontal, tilted), 0, 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_flat_picture_under_a_random_homography_with_landmark_noise_leaves_only_the_noise(int seed)
    {
        var random = new Random(seed);
        var frontal = Shape(AverageHead(flat: true), 0, 0, random);
        var warped = RandomHomography(random);
        var moved = new FaceShape([.. frontal.Points.Select(p => Jitter(Apply(warped, p), random))]);

        // Noise of 0.5 px on an inter-ocular distance of about 90 px leaves about 0.006 to 0.012 (more where the map shrinks the face); a fit that missed the perspective
        // part of the map (an affine fit) leaves several times that.
        Assert.InRange(_check.Residual(frontal, moved), 0, 0.02);
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(25, 2)]
    [InlineData(30, 3)]
    [InlineData(-25, 4)]
    public void A_real_head_turned_by_a_yaw_leaves_a_residual_a_flat_picture_turned_alike_does_not(double yaw, int seed)
    {
        var random = new Random(seed);
        var head = AverageHead(flat: false);
        var picture = AverageHead(flat: true);

        var headResidual = _check.Residual(Shape(head, 0, 0, random), Shape(head, yaw, 0, random));
        var pictureResidual = _check.Residual(Shape(picture, 0, 0, random), Shape(picture, yaw, 0, random));

        Assert.True(headResidual > 0.04, $"head {headResidual:F4}, picture {pictureResidual:F4}");
        Assert.True(pictureResidual < 0.02, $"picture {pictureResidual:F4}");
        Assert.True(headResidual > 3 * pictureResidual, $"head {headResidual:F4}, picture {pictureResidual:F4}");
    }

    [Fact]
    public void Landmarks_other_than_the_68_of_the_dlib_layout_are_refused()
    {
        var frontal = Shape(AverageHead(flat: true), 0, 0, null);
        var five = new FaceShape([.. frontal.Points.Take(5)]);

        Assert.Throws<ArgumentException>(() => _check.Residual(frontal, five));
    }

    /// <summary>
    /// 68 points in the iBUG order, in face widths (x right, y down, z towards the camera), centred between the eyes:
    /// jaw line on a half-ellipse from ear to ear, brows, nose bridge and base, eyes and lips as ellipses. The head is
    /// lifted onto an ellipsoid (the face's middle about 0.45 face widths in front of the ears) with the nose in front of
    /// that; the flat picture is the same points with no depth.
    /// </summary>
    internal static (double X, double Y, double Z)[] AverageHead(bool flat)
    {
        var points = new List<(double X, double Y)>();
        for (var i = 0; i <= 16; i++)
        {
            var angle = Math.PI * i / 16;
            points.Add((-0.5 * Math.Cos(angle), 0.05 + 0.85 * Math.Sin(angle)));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((-0.40 + 0.07 * i, -0.22 - 0.05 * Math.Sin(Math.PI * i / 4)));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((0.12 + 0.07 * i, -0.22 - 0.05 * Math.Sin(Math.PI * i / 4)));
        }

        for (var i = 0; i < 4; i++)
        {
            points.Add((0, -0.1 + 0.1 * i));
        }

        for (var i = 0; i < 5; i++)
        {
            points.Add((-0.1 + 0.05 * i, 0.3 + 0.03 * (1 - Math.Abs(i - 2) / 2.0)));
        }

        foreach (var centre in new[] { -0.2, 0.2 })
        {
            for (var i = 0; i < 6; i++)
            {
                var angle = Math.PI - Math.PI * i / 3;
                points.Add((centre + 0.1 * Math.Cos(angle), -0.04 * Math.Sin(angle)));
            }
        }

        for (var i = 0; i < 12; i++)
        {
            var angle = Math.PI - 2 * Math.PI * i / 12;
            points.Add((0.2 * Math.Cos(angle), 0.55 - 0.08 * Math.Sin(angle)));
        }

        for (var i = 0; i < 8; i++)
        {
            var angle = Math.PI - 2 * Math.PI * i / 8;
            points.Add((0.14 * Math.Cos(angle), 0.55 - 0.025 * Math.Sin(angle)));
        }

        Assert.Equal(FaceShape.PointCount, points.Count);
        return [.. points.Select((p, i) => (p.X, p.Y, flat ? 0 : Depth(p.X, p.Y, i)))];

        static double Depth(double x, double y, int index)
        {
            var ellipsoid = 0.45 * Math.Sqrt(Math.Max(0, 1 - (x * x / 0.25) - ((y - 0.3) * (y - 0.3) / 0.7)));
            var nose = index switch
            {
                >= 27 and <= 30 => 0.05 * (index - 26),
                >= 31 and <= 35 => 0.08,
                _ => 0,
            };
            return ellipsoid + nose;
        }
    }

    /// <summary>Turns the points about a vertical axis through the head's middle and projects them with a pinhole camera.</summary>
    internal static FaceShape Shape((double X, double Y, double Z)[] points, double yawDegrees, double pitchDegrees, Random? noise)
    {
        var yaw = yawDegrees * Math.PI / 180;
        var pitch = pitchDegrees * Math.PI / 180;
        const double pivotDepth = -0.5; // the neck, behind the face
        return new FaceShape([.. points.Select(p =>
        {
            var z = p.Z - pivotDepth;
            var x = p.X * Math.Cos(yaw) + z * Math.Sin(yaw);
            z = -p.X * Math.Sin(yaw) + z * Math.Cos(yaw);
            var y = p.Y * Math.Cos(pitch) - z * Math.Sin(pitch);
            z = p.Y * Math.Sin(pitch) + z * Math.Cos(pitch);
            var distance = CameraDistance - (z + pivotDepth);
            var projected = new FacePoint((float)(320 + Focal * x / distance), (float)(240 + Focal * y / distance));
            return noise is null ? projected : Jitter(projected, noise);
        })]);
    }

    /// <summary>A map with a clear perspective part: about what tilting a hand-held print by 20–30° does.</summary>
    private static double[] RandomHomography(Random random)
    {
        double Around(double centre, double spread) => centre + spread * (2 * random.NextDouble() - 1);
        return [Around(1, 0.2), Around(0, 0.2), Around(0, 40), Around(0, 0.2), Around(1, 0.2), Around(0, 40),
            Around(0.0004, 0.0004), Around(-0.0003, 0.0003), 1];
    }

    private static FacePoint Apply(double[] h, FacePoint p)
    {
        var w = h[6] * p.X + h[7] * p.Y + h[8];
        return new FacePoint((float)((h[0] * p.X + h[1] * p.Y + h[2]) / w), (float)((h[3] * p.X + h[4] * p.Y + h[5]) / w));
    }

    private static FacePoint Jitter(FacePoint p, Random random) =>
        new((float)(p.X + PixelNoise * Gaussian(random)), (float)(p.Y + PixelNoise * Gaussian(random)));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
