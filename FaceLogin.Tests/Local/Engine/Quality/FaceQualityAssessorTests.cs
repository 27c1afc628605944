using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Quality;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Quality;

public sealed class FaceQualityAssessorTests
{
    private static readonly FaceQualityAssessor Assessor = new(new FaceQualityOptions());

    [Fact]
    public void A_flat_patch_has_no_sharpness_and_a_checkerboard_has_plenty()
    {
        var flat = new float[32 * 32];
        Array.Fill(flat, 128f);
        var checker = Enumerable.Range(0, 32 * 32).Select(i => ((i % 32) + (i / 32)) % 2 == 0 ? 0f : 255f).ToArray();

        Assert.Equal(0, FacePatchMetrics.LaplacianVariance(flat, 32, 32));
        Assert.True(FacePatchMetrics.LaplacianVariance(checker, 32, 32) > 100_000);
    }

    [Fact]
    public void Blurring_lowers_sharpness_and_darkening_lowers_brightness()
    {
        var box = new PixelRect(20, 20, 160, 160);
        var sharp = Image(blurSigma: 0, gain: 1);
        var blurred = Image(blurSigma: 4, gain: 1);
        var dark = Image(blurSigma: 0, gain: 0.15f);

        var sharpQuality = Assessor.Measure(sharp, box);
        var blurredQuality = Assessor.Measure(blurred, box);
        var darkQuality = Assessor.Measure(dark, box);

        Assert.True(sharpQuality.Sharpness > blurredQuality.Sharpness + 20, $"{sharpQuality.Sharpness} vs {blurredQuality.Sharpness}");
        Assert.True(darkQuality.Brightness < sharpQuality.Brightness / 3, $"{darkQuality.Brightness} vs {sharpQuality.Brightness}");
        // Dim light shrinks contrast and detail alike: a dark face is not a blurred one.
        Assert.True(darkQuality.Sharpness > sharpQuality.Sharpness * 0.7, $"dark {darkQuality.Sharpness} vs bright {sharpQuality.Sharpness}");
        Assert.Equal(160, sharpQuality.FaceSizePx);
    }

    [Fact]
    public void Each_threshold_raises_its_own_reason()
    {
        var options = new FaceQualityOptions();
        var good = new FaceQuality(50, 80, 120);
        var frontal = new FacePose(0, 0, 0);

        Assert.Empty(Assessor.Issues(good, frontal, 0.99f));
        Assert.Equal([UnindexedReason.ExtremePose], Assessor.Issues(good, frontal with { Yaw = options.MaxYaw + 1 }, 0.99f));
        Assert.Equal([UnindexedReason.ExtremePose], Assessor.Issues(good, frontal with { Pitch = -options.MaxPitch - 1 }, 0.99f));
        Assert.Empty(Assessor.Issues(good, frontal with { Roll = 80 }, 0.99f));
        Assert.Equal([UnindexedReason.LowBrightness], Assessor.Issues(good with { Brightness = options.MinBrightness - 1 }, frontal, 0.99f));
        Assert.Equal([UnindexedReason.LowSharpness], Assessor.Issues(good with { Sharpness = options.MinSharpness - 1 }, frontal, 0.99f));
        Assert.Equal([UnindexedReason.LowConfidence], Assessor.Issues(good, frontal, options.MinConfidence - 0.01f));
        Assert.Equal([UnindexedReason.SmallBoundingBox], Assessor.Issues(good with { FaceSizePx = options.MinFaceSizePx - 1 }, frontal, 0.99f));
    }

    private static RgbaImage Image(float blurSigma, float gain)
    {
        var info = new SKImageInfo(200, 200, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        using var scene = new SKPictureRecorder();
        var canvas = scene.BeginRecording(info.Rect);
        canvas.Clear(new SKColor(180, 150, 130));
        using var paint = new SKPaint { Color = new SKColor(40, 30, 30), IsAntialias = false };
        for (var i = 0; i < 20; i++)
        {
            canvas.DrawRect(20 + i * 8, 20, 3, 160, paint);
        }

        using var picture = scene.EndRecording();
        using var blur = blurSigma > 0 ? SKImageFilter.CreateBlur(blurSigma, blurSigma) : null;
        using var dim = SKColorFilter.CreateColorMatrix([gain, 0, 0, 0, 0, 0, gain, 0, 0, 0, 0, 0, gain, 0, 0, 0, 0, 0, 1, 0]);
        using var draw = new SKPaint { ImageFilter = blur, ColorFilter = dim };
        surface.Canvas.DrawPicture(picture, draw);
        var pixels = new byte[info.BytesSize];
        using var pixmap = surface.PeekPixels();
        System.Runtime.InteropServices.Marshal.Copy(pixmap.GetPixels(), pixels, 0, pixels.Length);
        return new RgbaImage(200, 200, pixels);
    }
}
