using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Tests.Local.Engine.Alignment;

public sealed class DlibFaceChipTests
{
    [Fact]
    public void The_similarity_estimate_recovers_a_known_transform()
    {
        var truth = Affine2D.Similarity(1.7, 0.3, 12, -5);
        FacePoint[] from = [new(0, 0), new(10, 0), new(3, 7), new(-4, 9)];
        var to = from.Select(truth.Apply).ToArray();

        var estimate = SimilarityTransform.Estimate(from, to);

        Assert.Equal(truth.A, estimate.A, 5);
        Assert.Equal(truth.B, estimate.B, 5);
        Assert.Equal(truth.C, estimate.C, 4);
        Assert.Equal(truth.D, estimate.D, 5);
        Assert.Equal(truth.E, estimate.E, 5);
        Assert.Equal(truth.F, estimate.F, 4);
    }

    [Fact]
    public void The_similarity_estimate_is_the_least_squares_fit()
    {
        // Targets perturbed symmetrically: the best fit is the unperturbed transform.
        FacePoint[] from = [new(-1, 0), new(1, 0), new(0, -1), new(0, 1)];
        FacePoint[] to = [new(-2.1f, 0), new(2.1f, 0), new(0, -1.9f), new(0, 1.9f)];

        var estimate = SimilarityTransform.Estimate(from, to);

        Assert.Equal(2.0, estimate.A, 5);
        Assert.Equal(0.0, estimate.D, 5);
    }

    [Fact]
    public void Dlib_fits_33_points_and_skips_jaw_brows_and_lower_lip()
    {
        Assert.Equal(33, DlibFaceChip.FittedPoints.Length);
        Assert.Equal(27, DlibFaceChip.FittedPoints[0]);
        Assert.DoesNotContain(55, DlibFaceChip.FittedPoints);
        Assert.DoesNotContain(66, DlibFaceChip.FittedPoints);
        Assert.Contains(60, DlibFaceChip.FittedPoints);
        Assert.Contains(64, DlibFaceChip.FittedPoints);
    }

    [Fact]
    public void A_shape_on_the_template_gives_dlibs_chip_rectangle()
    {
        // The template itself placed at 2× scale, rotated by 0.2 rad and moved: dlib then extracts the rectangle of
        // side size·2 around the transformed chip centre, with pixel 0 and pixel size−1 at its edges.
        const int size = 150;
        var placement = Affine2D.Similarity(2, 0.2, 40, 30);
        var shape = Shape(i => placement.Apply(DlibFaceChip.TemplatePoint(i, size, 0.25)));

        var chipToImage = DlibFaceChip.ChipToImage(shape, size, 0.25);

        var centre = placement.Apply(new FacePoint(75, 75));
        var step = (size * 2.0 - 1) / (size - 1);
        var (x0, y0) = chipToImage.Apply(0, 0);
        var expected0 = Affine2D.Similarity(step, 0.2, 0, 0).Apply(-74.5, -74.5);
        Assert.Equal(centre.X + expected0.X, x0, 3);
        Assert.Equal(centre.Y + expected0.Y, y0, 3);
        var (cx, cy) = chipToImage.Apply(74.5, 74.5);
        Assert.Equal(centre.X, cx, 3);
        Assert.Equal(centre.Y, cy, 3);
        Assert.Equal(step, chipToImage.Scale, 6);
    }

    [Fact]
    public void The_extracted_chip_shows_the_face_where_the_template_puts_it()
    {
        // Paint a bright dot on the image at the nose tip (point 30) of a shape placed by a known transform; in the
        // chip the dot must appear at the template's nose tip.
        const int size = 150;
        var placement = Affine2D.Similarity(1.3, -0.25, 60, 50);
        var shape = Shape(i => placement.Apply(DlibFaceChip.TemplatePoint(i, size, 0.25)));
        var image = RgbaImage.Blank(400, 400);
        var nose = shape[30];
        for (var y = -2; y <= 2; y++)
        {
            for (var x = -2; x <= 2; x++)
            {
                var i = (((int)Math.Round(nose.Y) + y) * 400 + (int)Math.Round(nose.X) + x) * 4;
                image.Pixels[i] = image.Pixels[i + 1] = image.Pixels[i + 2] = 255;
            }
        }

        var chip = DlibFaceChip.Extract(image, DlibFaceChip.ChipToImage(shape, size, 0.25), size);

        var expected = DlibFaceChip.TemplatePoint(30, size, 0.25);
        var brightest = Enumerable.Range(0, size * size).MaxBy(i => chip.Pixels[i * 4]);
        Assert.InRange(brightest % size, expected.X - 2, expected.X + 2);
        Assert.InRange(brightest / size, expected.Y - 2, expected.Y + 2);
    }

    [Fact]
    public void Outside_the_image_the_chip_is_black()
    {
        var image = new RgbaImage(10, 10, [.. Enumerable.Repeat((byte)200, 400)]);

        var chip = ImageWarp.ToImage(image, Affine2D.ScaleTranslate(1, 1, -20, -20), 5, 5);

        Assert.All(Enumerable.Range(0, 25), i => Assert.Equal(0, chip.Pixels[i * 4]));
    }

    private static FacePoint[] Shape(Func<int, FacePoint> point) =>
        [.. Enumerable.Range(0, 68).Select(i => i < 17 ? new FacePoint(0, 0) : point(i))];
}
