using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Imaging;

/// <summary>
/// A 2-D affine map <c>(x, y) → (A·x + B·y + C, D·x + E·y + F)</c>. The warps use it from destination pixels
/// to source pixels, so every destination pixel is sampled exactly once.
/// </summary>
internal readonly record struct Affine2D(double A, double B, double C, double D, double E, double F)
{
    public static Affine2D Identity => new(1, 0, 0, 0, 1, 0);

    public static Affine2D ScaleTranslate(double scaleX, double scaleY, double offsetX, double offsetY) =>
        new(scaleX, 0, offsetX, 0, scaleY, offsetY);

    /// <summary>Rotation by <paramref name="angle"/> radians and uniform scale, then translation.</summary>
    public static Affine2D Similarity(double scale, double angle, double offsetX, double offsetY)
    {
        var (sin, cos) = Math.SinCos(angle);
        return new(scale * cos, -scale * sin, offsetX, scale * sin, scale * cos, offsetY);
    }

    /// <summary>Uniform scale of the map (geometric mean of the axes): source pixels per destination pixel.</summary>
    public double Scale => Math.Sqrt(Math.Abs(A * E - B * D));

    public (double X, double Y) Apply(double x, double y) => (A * x + B * y + C, D * x + E * y + F);

    public FacePoint Apply(FacePoint p)
    {
        var (x, y) = Apply(p.X, p.Y);
        return new FacePoint((float)x, (float)y);
    }

    /// <summary>This map after <paramref name="first"/>: <c>this(first(p))</c>.</summary>
    public Affine2D After(Affine2D first) => new(
        A * first.A + B * first.D,
        A * first.B + B * first.E,
        A * first.C + B * first.F + C,
        D * first.A + E * first.D,
        D * first.B + E * first.E,
        D * first.C + E * first.F + F);

    public Affine2D Inverse()
    {
        var det = A * E - B * D;
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("The map is singular.");
        }

        var ia = E / det;
        var ib = -B / det;
        var id = -D / det;
        var ie = A / det;
        return new(ia, ib, -(ia * C + ib * F), id, ie, -(id * C + ie * F));
    }
}
