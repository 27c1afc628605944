namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// A plane-to-plane projective map (3×3, row-major, defined up to scale): how every point of a flat picture moves in the
/// image when the picture (or the camera) moves. Fitted by the normalised direct linear transform (Hartley and Zisserman,
/// "Multiple View Geometry", algorithm 4.2): each point set is moved to its centroid and scaled to a mean distance of √2
/// before the fit, without which the least-squares system is badly conditioned in pixel units.
/// </summary>
internal readonly struct Homography
{
    private readonly double[] _m;

    private Homography(double[] m) => _m = m;

    public FacePoint Map(FacePoint p)
    {
        var w = _m[6] * p.X + _m[7] * p.Y + _m[8];
        return new FacePoint((float)((_m[0] * p.X + _m[1] * p.Y + _m[2]) / w), (float)((_m[3] * p.X + _m[4] * p.Y + _m[5]) / w));
    }

    /// <summary>The homography that maps <paramref name="from"/> onto <paramref name="to"/> best in the algebraic least-squares sense.</summary>
    public static Homography Fit(IReadOnlyList<FacePoint> from, IReadOnlyList<FacePoint> to)
    {
        if (from.Count != to.Count || from.Count < 4)
        {
            throw new ArgumentException("A homography needs at least four corresponding points in each set.");
        }

        var a = Normalisation(from);
        var b = Normalisation(to);

        // Two rows of A per correspondence (x, y) → (u, v); h is A's right null vector, i.e. AᵀA's eigenvector of least eigenvalue.
        var ata = new double[9, 9];
        Span<double> row = stackalloc double[9];
        for (var i = 0; i < from.Count; i++)
        {
            var (x, y) = a.Apply(from[i]);
            var (u, v) = b.Apply(to[i]);
            row[0] = -x; row[1] = -y; row[2] = -1; row[3] = 0; row[4] = 0; row[5] = 0; row[6] = u * x; row[7] = u * y; row[8] = u;
            Accumulate(ata, row);
            row[0] = 0; row[1] = 0; row[2] = 0; row[3] = -x; row[4] = -y; row[5] = -1; row[6] = v * x; row[7] = v * y; row[8] = v;
            Accumulate(ata, row);
        }

        var normalised = SmallestEigenvector(ata);

        // H = T_to⁻¹ · Ĥ · T_from, back in pixel units.
        return new Homography(Multiply(Multiply(b.Inverse(), normalised), a.Matrix()));
    }

    private static void Accumulate(double[,] ata, ReadOnlySpan<double> row)
    {
        for (var r = 0; r < 9; r++)
        {
            for (var c = 0; c < 9; c++)
            {
                ata[r, c] += row[r] * row[c];
            }
        }
    }

    /// <summary>Cyclic Jacobi rotations: exact enough for a symmetric 9×9 matrix, and no linear-algebra package for it.</summary>
    private static double[] SmallestEigenvector(double[,] symmetric)
    {
        const int n = 9;
        var m = (double[,])symmetric.Clone();
        var vectors = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            vectors[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double offDiagonal = 0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += m[p, q] * m[p, q];
                }
            }

            if (offDiagonal < 1e-30)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(m[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var mkp = m[k, p];
                        var mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var mpk = m[p, k];
                        var mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = vectors[k, p];
                        var vkq = vectors[k, q];
                        vectors[k, p] = c * vkp - s * vkq;
                        vectors[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var smallest = 0;
        for (var i = 1; i < n; i++)
        {
            if (m[i, i] < m[smallest, smallest])
            {
                smallest = i;
            }
        }

        var h = new double[n];
        for (var k = 0; k < n; k++)
        {
            h[k] = vectors[k, smallest];
        }

        return h;
    }

    private static double[] Multiply(double[] x, double[] y)
    {
        var r = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                r[3 * i + j] = x[3 * i] * y[j] + x[3 * i + 1] * y[3 + j] + x[3 * i + 2] * y[6 + j];
            }
        }

        return r;
    }

    private static Similarity Normalisation(IReadOnlyList<FacePoint> points)
    {
        double cx = 0, cy = 0;
        foreach (var p in points)
        {
            cx += p.X;
            cy += p.Y;
        }

        cx /= points.Count;
        cy /= points.Count;
        double distance = 0;
        foreach (var p in points)
        {
            distance += Math.Sqrt((p.X - cx) * (p.X - cx) + (p.Y - cy) * (p.Y - cy));
        }

        distance /= points.Count;
        if (distance <= 0)
        {
            throw new ArgumentException("The points all coincide; no homography is defined by them.");
        }

        return new Similarity(Math.Sqrt(2) / distance, cx, cy);
    }

    /// <summary>p ↦ scale · (p − centre).</summary>
    private readonly record struct Similarity(double Scale, double CentreX, double CentreY)
    {
        public (double X, double Y) Apply(FacePoint p) => (Scale * (p.X - CentreX), Scale * (p.Y - CentreY));

        public double[] Matrix() => [Scale, 0, -Scale * CentreX, 0, Scale, -Scale * CentreY, 0, 0, 1];

        public double[] Inverse() => [1 / Scale, 0, CentreX, 0, 1 / Scale, CentreY, 0, 0, 1];
    }
}
