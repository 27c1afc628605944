using FaceLogin.Domain.Local.Engine.Evaluation;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Evaluation;

public sealed class CameraVariantGeneratorTests
{
    [Fact]
    public void Parameters_depend_only_on_seed_and_path()
    {
        Assert.Equal(CameraVariantGenerator.Draw(1, "A/A_0001.jpg"), CameraVariantGenerator.Draw(1, "A/A_0001.jpg"));
        Assert.NotEqual(CameraVariantGenerator.Draw(1, "A/A_0001.jpg"), CameraVariantGenerator.Draw(2, "A/A_0001.jpg"));
        Assert.NotEqual(CameraVariantGenerator.Draw(1, "A/A_0001.jpg"), CameraVariantGenerator.Draw(1, "A/A_0002.jpg"));
    }

    [Fact]
    public void A_frame_is_a_640x480_jpeg_and_the_same_inputs_give_the_same_bytes()
    {
        using var photo = Engine.TestImages.Quadrants(250, 250);
        var bytes = Engine.TestImages.Jpeg(photo);
        var parameters = CameraVariantGenerator.Draw(42, "x/x_0001.jpg");

        var first = CameraVariantGenerator.Render(bytes, parameters, 7);
        var second = CameraVariantGenerator.Render(bytes, parameters, 7);

        Assert.Equal(first, second);
        using var codec = SKCodec.Create(new MemoryStream(first));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.Equal((640, 480), (codec.Info.Width, codec.Info.Height));
    }
}
