using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Imaging;

/// <summary>
/// A square, possibly rotated crop of <see cref="Size"/>×<see cref="Size"/> model pixels covering <see cref="Side"/>
/// image pixels around <see cref="Centre"/>. Converts between the crop's continuous coordinates (0..Size, as a model
/// reports points) and the image's, and gives the warp its pixel-centre map.
/// </summary>
internal readonly record struct CropGeometry(FacePoint Centre, double Side, double Angle, int Size)
{
    /// <summary>Crop point (continuous, 0..Size) → image point (continuous).</summary>
    public Affine2D CropToImage
    {
        get
        {
            var k = Side / Size;
            var rotation = Affine2D.Similarity(k, Angle, 0, 0);
            var (ox, oy) = rotation.Apply(-Size / 2.0, -Size / 2.0);
            return rotation with { C = Centre.X + ox, F = Centre.Y + oy };
        }
    }

    /// <summary>For <see cref="ImageWarp"/>: crop pixel index → image pixel-centre coordinates (both centres at integers).</summary>
    public Affine2D WarpMap => PixelCentres(CropToImage);

    public FacePoint ToImage(float cropX, float cropY) => CropToImage.Apply(new FacePoint(cropX, cropY));

    /// <summary>Turns a map between continuous coordinates into one between pixel indices (centre of pixel i at i + 0.5).</summary>
    public static Affine2D PixelCentres(Affine2D continuous) =>
        Affine2D.ScaleTranslate(1, 1, -0.5, -0.5).After(continuous.After(Affine2D.ScaleTranslate(1, 1, 0.5, 0.5)));
}
