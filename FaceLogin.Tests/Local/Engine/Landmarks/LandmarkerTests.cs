using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Landmarks;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Landmarks;

[Collection(LocalFaceEngineCollection.Name)]
public sealed class LandmarkerTests(LocalFaceEngineFixture fixture)
{
    [Fact]
    public void The_68_points_follow_the_face_when_the_photo_is_tilted()
    {
        // The same photo turned 25° about its centre: the points must turn with it (the crop is cut along the eye line).
        var photo = LocalFaceEngineFixture.Photo("Aaron_Peirsol", 1);
        var upright = Locate(photo);
        using var source = SKBitmap.Decode(photo);
        using var tilted = new SKBitmap(250, 250);
        using (var canvas = new SKCanvas(tilted))
        {
            canvas.Clear(SKColors.Gray);
            canvas.RotateDegrees(25, 125, 125);
            using var image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        }

        var turned = Locate(TestImages.Png(tilted));

        var (sin, cos) = MathF.SinCos(25 * MathF.PI / 180);
        var errors = upright.Points.Zip(turned.Points, (u, t) =>
        {
            // Continuous coordinates: rotate about the image centre (125, 125).
            var x = 125 + (u.X - 125) * cos - (u.Y - 125) * sin;
            var y = 125 + (u.X - 125) * sin + (u.Y - 125) * cos;
            return Math.Sqrt(Math.Pow(x - t.X, 2) + Math.Pow(y - t.Y, 2));
        }).ToList();
        // Eyes, nose and mouth (27..67) move with the face to within a few pixels of a 100 px face.
        Assert.True(errors.Skip(27).Average() < 3, $"mean error {errors.Skip(27).Average():0.0} px");
    }

    [Fact]
    public void FaceMesh_agrees_with_the_68_point_net_on_the_eyes_and_is_sure_it_sees_a_face()
    {
        var image = fixture.Engine.Decoder.Decode(LocalFaceEngineFixture.Photo("Aaron_Peirsol", 1));
        var face = Assert.Single(fixture.Engine.Detector.Detect(image));
        using var mesh = new FaceMeshLandmarker(new FaceMeshOptions(ModelCatalogue.Default.PathOf(FaceModel.FaceMesh)), new OnnxRuntimeOptions());

        var (vertices, probability) = mesh.LocateMesh(image, face);
        var fromMesh = new FaceShape(MeshTo68.Convert(vertices));
        var fromNet = fixture.Engine.Landmarker.Locate(image, face);

        Assert.Equal(FaceMeshLandmarker.VertexCount, vertices.Length);
        Assert.True(probability > 0.9f, $"face probability {probability}");
        Assert.True(Distance(fromMesh.EyeLeftCentre, fromNet.EyeLeftCentre) < 4);
        Assert.True(Distance(fromMesh.EyeRightCentre, fromNet.EyeRightCentre) < 4);
    }

    private FaceShape Locate(byte[] bytes)
    {
        var image = fixture.Engine.Decoder.Decode(bytes);
        var face = fixture.Engine.Detector.Detect(image).OrderByDescending(f => f.Box.Area).First();
        return fixture.Engine.Landmarker.Locate(image, face);
    }

    private static double Distance(FacePoint a, FacePoint b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
}
