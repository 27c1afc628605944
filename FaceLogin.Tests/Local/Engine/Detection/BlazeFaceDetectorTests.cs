using FaceLogin.Domain.Faces;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Detection;

[Collection(LocalFaceEngineCollection.Name)]
public sealed class BlazeFaceDetectorTests(LocalFaceEngineFixture fixture)
{
    [Fact]
    public void The_face_of_a_press_photo_is_found_with_its_keypoints_in_place()
    {
        var image = fixture.Engine.Decoder.Decode(LocalFaceEngineFixture.Photo("Aaron_Peirsol", 1));

        var face = Assert.Single(fixture.Engine.Detector.Detect(image));

        Assert.True(face.Score > 0.75f);
        Assert.InRange(face.Box.Centre.X, 100, 150);
        Assert.InRange(face.Box.Centre.Y, 100, 160);
        var k = face.Keypoints;
        Assert.True(k.EyeLeft.X < k.Nose.X && k.Nose.X < k.EyeRight.X, "eyes either side of the nose");
        Assert.True(k.EyeLeft.Y < k.Mouth.Y && k.Nose.Y < k.Mouth.Y, "mouth below eyes and nose");
        Assert.True(k.EarLeft.X < k.EyeLeft.X && k.EyeRight.X < k.EarRight.X, "ears outside the eyes");
    }

    [Fact]
    public void A_small_face_in_a_camera_frame_is_found_where_it_was_put_with_the_same_keypoints()
    {
        // The photo shrunk to 120 px (face ≈ 50 px) at (400, 100) in a 640×480 frame: 20 px in the 256 px letterbox.
        var photo = LocalFaceEngineFixture.Photo("Aaron_Peirsol", 1);
        var full = Assert.Single(fixture.Engine.Detector.Detect(fixture.Engine.Decoder.Decode(photo)));
        using var source = SKBitmap.Decode(photo);
        using var frame = new SKBitmap(640, 480);
        using (var canvas = new SKCanvas(frame))
        {
            canvas.Clear(new SKColor(90, 100, 110));
            using var image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, new SKRect(400, 100, 520, 220), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        var face = Assert.Single(fixture.Engine.Detector.Detect(fixture.Engine.Decoder.Decode(TestImages.Png(frame))));

        const float scale = 120f / 250f;
        FacePoint Expected(FacePoint p) => new(400 + p.X * scale, 100 + p.Y * scale);
        Assert.InRange(Distance(face.Keypoints.EyeLeft, Expected(full.Keypoints.EyeLeft)), 0, 3);
        Assert.InRange(Distance(face.Keypoints.EyeRight, Expected(full.Keypoints.EyeRight)), 0, 3);
        Assert.InRange(Distance(face.Keypoints.Mouth, Expected(full.Keypoints.Mouth)), 0, 3);
    }

    private static double Distance(FacePoint a, FacePoint b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
}
