using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Landmarks;

namespace FaceLogin.Tests.Local.Engine.Landmarks;

public sealed class LandmarkHelpersTests
{
    [Fact]
    public void Mirror_partners_pair_up_left_and_right_and_keep_the_midline()
    {
        var partner = MirroredShape.Partner;

        Assert.All(Enumerable.Range(0, 68), i => Assert.Equal(i, partner[partner[i]]));
        Assert.Equal(16, partner[0]);
        Assert.Equal(8, partner[8]);
        Assert.Equal(45, partner[36]);
        Assert.Equal(42, partner[39]);
        Assert.Equal(54, partner[48]);
        Assert.Equal(30, partner[30]);
        Assert.Equal(66, partner[66]);
    }

    [Fact]
    public void Averaging_with_the_mirrored_answer_of_a_perfect_net_changes_nothing()
    {
        // A net that finds dlib's mean face exactly, in a crop of 112 px: on the mirrored crop it would find the
        // mean face mirrored, with left and right swapped.
        const int size = 112;
        var direct = Enumerable.Range(0, 68).Select(i => i < 17 ? new FacePoint(10 + i, 100) : DlibFaceChip.TemplatePoint(i, size, 0.25)).ToArray();
        var mirrored = Enumerable.Range(0, 68).Select(i =>
        {
            var p = direct[MirroredShape.Partner[i]];
            return new FacePoint(size - p.X, p.Y);
        }).ToArray();
        var crop = new CropGeometry(new FacePoint(200, 150), 224, 0.1, size);
        var inImage = direct.Select(p => crop.ToImage(p.X, p.Y)).ToArray();

        var averaged = MirroredShape.Average(inImage, mirrored, size, p => crop.ToImage(p.X, p.Y));

        for (var i = 0; i < 68; i++)
        {
            Assert.Equal(inImage[i].X, averaged[i].X, 3);
            Assert.Equal(inImage[i].Y, averaged[i].Y, 3);
        }
    }

    [Fact]
    public void Mesh_vertices_reduce_to_the_68_points_averaging_pairs()
    {
        var mesh = Enumerable.Range(0, FaceMeshLandmarker.VertexCount).Select(i => new FacePoint(i, -i)).ToArray();

        var points = MeshTo68.Convert(mesh);

        Assert.Equal(68, points.Length);
        Assert.Equal(new FacePoint(127, -127), points[0]);
        Assert.Equal(new FacePoint((132 + 58) / 2f, -(132 + 58) / 2f), points[3]);
        Assert.Equal(new FacePoint(33, -33), points[36]);
        Assert.Equal(new FacePoint(263, -263), points[45]);
    }

    [Fact]
    public void A_detection_crop_is_cut_along_the_eye_line_below_the_box_centre()
    {
        var face = new DetectedFace(
            new PixelRect(100, 100, 80, 80),
            0.9f,
            new FaceKeypoints(new FacePoint(120, 120), new FacePoint(160, 140), new FacePoint(140, 150), new FacePoint(135, 165), default, default));

        var crop = LandmarkCrops.FromDetection(face, 1.5f, 0.1f, derotate: true, 112);

        Assert.Equal(Math.Atan2(20, 40), crop.Angle, 6);
        Assert.Equal(120, crop.Side, 4);
        // 10 % of the side "down" along the face's own vertical, which leans with the eye line.
        var (sin, cos) = Math.SinCos(crop.Angle);
        Assert.Equal(140 - sin * 12, crop.Centre.X, 3);
        Assert.Equal(140 + cos * 12, crop.Centre.Y, 3);
    }
}
