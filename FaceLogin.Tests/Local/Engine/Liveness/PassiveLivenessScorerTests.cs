using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Liveness;

/// <summary>
/// The passive liveness score on pad-dev's stills (Silent-Face-Anti-Spoofing's samples: a real face, a print, a tablet).
/// Fed R,G,B instead of B,G,R the real still scores 0.02 (docs/liveness.md), so the first test guards the channel order
/// inside the converted graph and the choice of the "real" output.
/// </summary>
[Collection(LocalFaceEngineCollection.Name)]
public sealed class PassiveLivenessScorerTests(LocalFaceEngineFixture fixture) : IDisposable
{
    private readonly PassiveLivenessScorer _scorer = new(
        new PassiveLivenessOptions(ModelCatalogue.Default.PathOf(FaceModel.MiniFasNet)), new OnnxRuntimeOptions());

    [Fact]
    public void The_real_still_scores_live_and_the_print_and_tablet_stills_score_attack()
    {
        var real = Score("sfas/image_T1.jpg");
        var print = Score("sfas/image_F1.jpg");
        var tablet = Score("sfas/image_F2.jpg");

        Assert.True(real > 0.5f, $"real still {real:0.000}");
        Assert.True(print < 0.5f, $"print still {print:0.000}");
        Assert.True(tablet < 0.5f, $"tablet still {tablet:0.000}");
    }

    [Fact]
    public void The_crop_is_the_box_times_2_7_shifted_inside_the_image_and_shrunk_to_fit_it()
    {
        var image = new RgbaImage(640, 480, new byte[640 * 480 * 4]);

        var centred = _scorer.CropFor(image, new PixelRect(300, 200, 40, 50));
        var nearTheLeftEdge = _scorer.CropFor(image, new PixelRect(10, 200, 50, 50));
        var tooBig = _scorer.CropFor(image, new PixelRect(200, 100, 300, 300));

        Assert.Equal(50 * 2.7, centred.Side, 3); // the box made square on its longer side
        Assert.Equal(new FacePoint(320, 225), centred.Centre);
        Assert.Equal(135 / 2.0, nearTheLeftEdge.Centre.X, 3); // shifted right, not cut
        Assert.Equal(480, tooBig.Side, 3);
        Assert.Equal(240, tooBig.Centre.Y, 3);
    }

    [Fact]
    public void An_empty_face_box_is_refused_with_a_clear_message()
    {
        var image = new RgbaImage(64, 64, new byte[64 * 64 * 4]);

        var error = Assert.Throws<ArgumentException>(() => _scorer.Score(image, new PixelRect(10, 10, 0, 20)));

        Assert.Contains("The face box is empty.", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _scorer.Dispose();

    private float Score(string still)
    {
        var image = fixture.Engine.Decoder.Decode(PadDevDataset.Read(still));
        var face = Assert.Single(fixture.Engine.Detector.Detect(image));
        return _scorer.Score(image, face.Box);
    }
}
