using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Alignment;

/// <summary>
/// The ArcFace chip: the similarity transform (Umeyama, no shear) that takes five face points to InsightFace's reference
/// positions on a 112×112 chip, the alignment ArcFace-style recognisers such as MobileFaceNet are trained on. Five points
/// and a similarity keep a turned face's proportions; an exact 3-point affine (Faceplugin's JavaScript) shears them.
/// </summary>
public sealed class ArcFaceAligner : IFaceAligner
{
    /// <summary>
    /// InsightFace's <c>arcface_dst</c> for 112×112 (image-left eye, image-right eye, nose tip, image-left and image-right
    /// mouth corner) in OpenCV pixel coordinates, where pixel i's centre is at i.
    /// </summary>
    internal static readonly FacePoint[] Reference =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    public const int Size = 112;

    public int ChipSize => Size;

    public RgbaImage Align(RgbaImage image, FaceShape shape) => ImageWarp.ToImage(image, ChipToImage(shape), Size, Size);

    /// <summary>
    /// Chip pixel → image pixel-centre coordinates. Estimated image → chip, as InsightFace does (<c>estimate_norm</c>:
    /// landmarks to reference, then <c>cv2.warpAffine</c> inverts it), so that the least-squares fit weighs the same errors.
    /// </summary>
    internal static Affine2D ChipToImage(FaceShape shape)
    {
        var points = FivePoints(shape);
        for (var i = 0; i < points.Length; i++)
        {
            // The engine's points are continuous (pixel i covers [i, i + 1)); OpenCV's pixel i is centred at i.
            points[i] = new FacePoint(points[i].X - 0.5f, points[i].Y - 0.5f);
        }

        return SimilarityTransform.Estimate(points, Reference).Inverse();
    }

    /// <summary>
    /// The five points from the 68: each eye's centre from its four lid points (the corners are left out, as Faceplugin's
    /// SDK does: they sit wider than the pupil MTCNN marks), the nose tip, and each mouth corner averaged with the inner
    /// lip's corner (nearer MTCNN's mouth points than the outer corner alone).
    /// </summary>
    internal static FacePoint[] FivePoints(FaceShape shape)
    {
        var p = shape.Points;
        static FacePoint Mean(params FacePoint[] points) =>
            new(points.Average(q => q.X), points.Average(q => q.Y));
        return
        [
            Mean(p[37], p[38], p[40], p[41]),
            Mean(p[43], p[44], p[46], p[47]),
            p[30],
            Mean(p[48], p[60]),
            Mean(p[54], p[64]),
        ];
    }
}
