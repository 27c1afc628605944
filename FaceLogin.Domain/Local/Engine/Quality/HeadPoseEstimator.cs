using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>
/// Yaw, pitch and roll from four 2-D points (eye centres, nose tip, mouth centre) by fitting a scaled orthographic
/// projection of an average head: eyes one unit apart, the mouth <see cref="MouthDropPerEyeDistance"/> below them, the
/// nose tip <see cref="FrontalNoseRatio"/> of the way down and <see cref="NoseDepthPerEyeDistance"/> in front
/// (proportions of dlib's mean face). The four model points span 3-D, so the 2×3 projection has a closed-form
/// least-squares fit; its rows, made orthonormal, are the head's rotation. Approximate for any real head (a few
/// degrees), exact for the model, and monotonic, which is what a pose filter needs.
/// Signs: yaw &gt; 0 when the nose points to the image's right, pitch &gt; 0 when the face looks up, roll &gt; 0 when the
/// face turns clockwise in the image.
/// </summary>
internal static class HeadPoseEstimator
{
    public const double NoseDepthPerEyeDistance = 0.4;

    /// <summary>(nose tip − eye midpoint) / (mouth − eye midpoint), vertically, on dlib's mean face.</summary>
    public const double FrontalNoseRatio = 0.531;

    /// <summary>Eye-to-mouth distance over eye-to-eye distance on dlib's mean face.</summary>
    public const double MouthDropPerEyeDistance = 1.066;

    // Model points, right-handed: x to the image's right, y down, z into the scene (the nose tip is nearer the camera).
    private static readonly double[][] Model =
    [
        [-0.5, 0, 0],
        [0.5, 0, 0],
        [0, FrontalNoseRatio * MouthDropPerEyeDistance, -NoseDepthPerEyeDistance],
        [0, MouthDropPerEyeDistance, 0],
    ];

    private static readonly double[][] CentredModel = Centre(Model);
    private static readonly double[,] InverseModelScatter = Invert3(Scatter(CentredModel));

    public static FacePose Estimate(FacePoint eyeLeft, FacePoint eyeRight, FacePoint noseTip, FacePoint mouthCentre)
    {
        double[][] image = [[eyeLeft.X, eyeLeft.Y], [eyeRight.X, eyeRight.Y], [noseTip.X, noseTip.Y], [mouthCentre.X, mouthCentre.Y]];
        var centred = Centre(image);

        // M (2×3) = (Σ x̃ X̃ᵀ)(Σ X̃ X̃ᵀ)⁻¹: the projection that best maps the model onto the image.
        var m = new double[2, 3];
        for (var r = 0; r < 2; r++)
        {
            var cross = new double[3];
            for (var i = 0; i < 4; i++)
            {
                for (var c = 0; c < 3; c++)
                {
                    cross[c] += centred[i][r] * CentredModel[i][c];
                }
            }

            for (var c = 0; c < 3; c++)
            {
                m[r, c] = cross[0] * InverseModelScatter[0, c] + cross[1] * InverseModelScatter[1, c] + cross[2] * InverseModelScatter[2, c];
            }
        }

        // Rows of the rotation: normalise, make the second orthogonal to the first, the third is their cross product.
        var r0 = Normalise([m[0, 0], m[0, 1], m[0, 2]]);
        var r1Raw = new[] { m[1, 0], m[1, 1], m[1, 2] };
        var along = Dot(r0, r1Raw);
        var r1 = Normalise([r1Raw[0] - along * r0[0], r1Raw[1] - along * r0[1], r1Raw[2] - along * r0[2]]);
        double[] r2 = [r0[1] * r1[2] - r0[2] * r1[1], r0[2] * r1[0] - r0[0] * r1[2], r0[0] * r1[1] - r0[1] * r1[0]];

        // R = Rz(roll)·Rx(−pitch)·Ry(−yaw): the head turns (yaw), then nods (pitch), then tilts in the image (roll).
        var yaw = Math.Atan2(r2[0], r2[2]);
        var pitch = -Math.Asin(Math.Clamp(r2[1], -1, 1));
        var roll = Math.Atan2(-r0[1], r1[1]);
        return new FacePose(ToDegrees(yaw), ToDegrees(pitch), ToDegrees(roll));
    }

    public static FacePose Estimate(FaceShape shape) => Estimate(
        shape.EyeLeftCentre,
        shape.EyeRightCentre,
        shape.NoseTip,
        new FacePoint((shape.MouthLeft.X + shape.MouthRight.X) / 2, (shape.MouthLeft.Y + shape.MouthRight.Y) / 2));

    public static FacePose Estimate(FaceKeypoints keypoints) =>
        Estimate(keypoints.EyeLeft, keypoints.EyeRight, keypoints.Nose, keypoints.Mouth);

    private static double[][] Centre(double[][] points)
    {
        var dims = points[0].Length;
        var mean = new double[dims];
        foreach (var p in points)
        {
            for (var d = 0; d < dims; d++)
            {
                mean[d] += p[d] / points.Length;
            }
        }

        return [.. points.Select(p => p.Select((v, d) => v - mean[d]).ToArray())];
    }

    private static double[,] Scatter(double[][] points)
    {
        var s = new double[3, 3];
        foreach (var p in points)
        {
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    s[r, c] += p[r] * p[c];
                }
            }
        }

        return s;
    }

    private static double[,] Invert3(double[,] a)
    {
        var det = a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1])
                - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0])
                + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        var inv = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                // Cofactor of (c, r) over the determinant.
                int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
                inv[r, c] = (a[r1, c1] * a[r2, c2] - a[r1, c2] * a[r2, c1]) / det;
            }
        }

        return inv;
    }

    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

    private static double[] Normalise(double[] v)
    {
        var n = Math.Sqrt(Dot(v, v));
        return n < 1e-12 ? [1, 0, 0] : [v[0] / n, v[1] / n, v[2] / n];
    }

    private static float ToDegrees(double radians) => (float)(radians * 180 / Math.PI);
}
