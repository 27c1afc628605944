using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Alignment;

/// <summary>
/// dlib's face chip, reproduced: <c>get_face_chip_details(shape, size, padding)</c> followed by <c>extract_image_chip</c>.
/// The ResNet was trained on exactly these chips (150 px, padding 0.25), so matching them point for point matters.
/// </summary>
internal static class DlibFaceChip
{
    // dlib's average positions of the 68-point shape's points 17..67 in a unit square (interpolation.h, get_face_chip_details).
    private static readonly double[] MeanFaceX =
    [
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
        0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
        0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
        0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
        0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
        0.553364, 0.490127, 0.42689,
    ];

    private static readonly double[] MeanFaceY =
    [
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
        0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
        0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
        0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
        0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
        0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
        0.784792, 0.824182, 0.831803, 0.824182,
    ];

    /// <summary>
    /// The points dlib fits: 27..54 and 60..64 (it ignores the jaw, the eyebrows and the lower lip, which move with expression).
    /// </summary>
    internal static readonly int[] FittedPoints = [.. Enumerable.Range(27, 68 - 27).Where(i => i is not (>= 55 and <= 59) and not (>= 65 and <= 67))];

    /// <summary>Where the 68-point shape's point <paramref name="index"/> (17..67) lands on a chip of <paramref name="size"/> pixels.</summary>
    public static FacePoint TemplatePoint(int index, int size, double padding) => new(
        (float)((padding + MeanFaceX[index - 17]) / (2 * padding + 1) * size),
        (float)((padding + MeanFaceY[index - 17]) / (2 * padding + 1) * size));

    /// <summary>The chip → image map for a 68-point shape, exactly as dlib builds and then extracts it.</summary>
    public static Affine2D ChipToImage(IReadOnlyList<FacePoint> shape68, int size, double padding)
    {
        if (shape68.Count != FaceShape.PointCount)
        {
            throw new ArgumentException($"Expected {FaceShape.PointCount} points, got {shape68.Count}.", nameof(shape68));
        }

        var chipPoints = new FacePoint[FittedPoints.Length];
        var imagePoints = new FacePoint[FittedPoints.Length];
        for (var k = 0; k < FittedPoints.Length; k++)
        {
            chipPoints[k] = TemplatePoint(FittedPoints[k], size, padding);
            imagePoints[k] = shape68[FittedPoints[k]];
        }

        return FromTemplateFit(SimilarityTransform.Estimate(chipPoints, imagePoints), size);
    }

    /// <summary>
    /// dlib's 5-point template (shape_predictor_5_face_landmarks: image-right eye outer and inner corner, image-left eye
    /// outer and inner corner, bottom of the nose), as fractions of the unpadded chip.
    /// </summary>
    private static readonly (int Point68, double X, double Y)[] FivePointTemplate =
    [
        (45, 0.8595674595992, 0.2134981538014),
        (42, 0.6460604764104, 0.2289674387677),
        (36, 0.1205750620789, 0.2137274526848),
        (39, 0.3340850613712, 0.2290642403242),
        (33, 0.4901123135679, 0.6277975316475),
    ];

    /// <summary>The chip → image map from the five points of a 68-point shape that dlib's 5-point model finds.</summary>
    public static Affine2D ChipToImageFivePoint(IReadOnlyList<FacePoint> shape68, int size, double padding)
    {
        var chipPoints = FivePointTemplate
            .Select(t => new FacePoint((float)((padding + t.X) / (2 * padding + 1) * size), (float)((padding + t.Y) / (2 * padding + 1) * size)))
            .ToArray();
        var imagePoints = FivePointTemplate.Select(t => shape68[t.Point68]).ToArray();
        return ChipToImage(chipPoints, imagePoints, size);
    }

    /// <summary>The chip → image map from any template fit (chip coordinates → image), following dlib's chip_details.</summary>
    public static Affine2D ChipToImage(ReadOnlySpan<FacePoint> chipPoints, ReadOnlySpan<FacePoint> imagePoints, int size) =>
        FromTemplateFit(SimilarityTransform.Estimate(chipPoints, imagePoints), size);

    /// <summary>
    /// dlib keeps only the angle and scale of the fit and a rectangle <c>centered_drect(fit(size/2), size·s, size·s)</c>;
    /// extraction then maps chip pixel 0 to the rectangle's left edge and pixel size−1 to its right edge, where
    /// centered_drect puts the edges (size·s − 1)/2 either side of the centre.
    /// </summary>
    private static Affine2D FromTemplateFit(Affine2D fit, int size)
    {
        var scale = Math.Sqrt(fit.A * fit.A + fit.D * fit.D);
        var angle = Math.Atan2(fit.D, fit.A);
        var (cx, cy) = fit.Apply(size / 2.0, size / 2.0);
        var step = (size * scale - 1) / (size - 1);
        var half = (size - 1) / 2.0;
        // image = centre + R(angle) · step · (chip − half)
        var rotation = Affine2D.Similarity(step, angle, 0, 0);
        var (ox, oy) = rotation.Apply(-half, -half);
        return rotation with { C = cx + ox, F = cy + oy };
    }

    public static RgbaImage Extract(RgbaImage image, Affine2D chipToImage, int size) =>
        ImageWarp.ToImage(image, chipToImage, size, size);
}
