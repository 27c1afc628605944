using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine.Evaluation.Pad;
using FaceLogin.Tests.Local.Engine;
using FaceLogin.Tests.Support;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Evaluation.Pad;

/// <summary>
/// The synthetic attacks are what they say: per person a held print, a print and a screen turned to follow a challenge,
/// written as the page's frames with a manifest evaluate-pad reads; and the turned picture does turn, as the engine sees it.
/// </summary>
[Collection(LocalFaceEngineCollection.Name)]
public sealed class SyntheticPadAttacksTests(LocalFaceEngineFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Each_person_gives_a_held_print_and_a_print_and_a_screen_turned_at_the_pages_timing_with_a_manifest()
    {
        var shape = new LivenessBurstShape();

        var written = SyntheticPadAttacks.Generate(TestEnvironment.RequireDataset(), _folder.Path, 3, 1, shape, null, TestContext.Current.CancellationToken);

        Assert.Equal((3, 9), (written.People, written.Presentations));
        var rows = PadManifest.Read(_folder.Combine(PadManifest.FileName));
        Assert.Equal(9, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Label == SyntheticPadAttacks.PrintStill && r.Challenge is null && File.Exists(_folder.Combine(r.Path))));
        var turned = rows.Where(r => r.Label is SyntheticPadAttacks.PrintTurned or SyntheticPadAttacks.ScreenTurned).ToList();
        Assert.Equal(6, turned.Count);
        Assert.All(turned, r => Assert.True(Directory.Exists(_folder.Combine(r.Path)), r.Path));
        // The people's challenges cycle through every challenge the server issues: two steps, then three.
        Assert.Equal(PadChallengeSpec.EveryIssuable[2].Steps, turned.Single(r => r.Label == SyntheticPadAttacks.PrintTurned && r.Path.Contains(Person(2), StringComparison.Ordinal)).Challenge!.Steps);
        foreach (var row in turned)
        {
            var frames = Directory.GetFiles(_folder.Combine(row.Path)).Order(StringComparer.Ordinal).ToArray();
            var expected = (shape.LookMs + (row.Challenge!.Steps.Count * shape.StepMs) + shape.FrameIntervalMs - 1) / shape.FrameIntervalMs;
            Assert.Equal(expected, frames.Length);
            Assert.Equal(frames.Length, frames.Select(f => Convert.ToHexString(File.ReadAllBytes(f))).Distinct().Count()); // distinct captures
            using var codec = SKCodec.Create(frames[0]);
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal((shape.FrameMaxSide, shape.FrameMaxSide * 3 / 4), (codec.Info.Width, codec.Info.Height));
        }
    }

    [Fact]
    public void A_turned_picture_stays_put_in_the_look_phase_and_turns_the_way_of_each_step()
    {
        var shape = new LivenessBurstShape();

        var poses = SyntheticPadAttacks.Poses([HeadMovement.TurnLeft, HeadMovement.TurnRight], shape, new Random(3));

        Assert.Equal(14, poses.Count);
        Assert.All(poses.Take(4), p => Assert.Equal(0, p.YawDegrees)); // the look phase
        var first = poses.Skip(4).Take(5).Select(p => p.YawDegrees).ToList();
        var second = poses.Skip(9).Select(p => p.YawDegrees).ToList();
        Assert.True(first.Min() < -30 && first.Max() <= 0, string.Join(", ", first)); // TurnLeft: the picture's left edge recedes
        Assert.True(second.Max() > 30 && second.Min() >= 0, string.Join(", ", second));
    }

    [Fact]
    public void The_engine_sees_the_turned_print_turn_left_in_the_left_step()
    {
        SyntheticPadAttacks.Generate(TestEnvironment.RequireDataset(), _folder.Path, 1, 1, new LivenessBurstShape(), null, TestContext.Current.CancellationToken);
        var row = PadManifest.Read(_folder.Combine(PadManifest.FileName)).Single(r => r.Label == SyntheticPadAttacks.PrintTurned);
        Assert.Equal(HeadMovement.TurnLeft, row.Challenge!.Steps[0]);

        var yaws = Directory.GetFiles(_folder.Combine(row.Path)).Order(StringComparer.Ordinal)
            .Select(f => fixture.Engine.Analyzer.Analyze(File.ReadAllBytes(f), EmbedFaces.None, TestContext.Current.CancellationToken))
            .Select(a => Assert.Single(a.Faces).Detail.Pose.Yaw).ToList();

        var look = yaws.Take(4).Average();
        var leftStep = yaws.Skip(4).Take(5).Max();
        Assert.True(leftStep > look + 8, $"look phase {look:0.0}°, left step up to {leftStep:0.0}° ({string.Join(", ", yaws.Select(y => y.ToString("0")))})");
    }

    [Fact]
    public void The_screen_shows_its_pixel_grid_and_bezel_where_the_print_shows_paper()
    {
        SyntheticPadAttacks.Generate(TestEnvironment.RequireDataset(), _folder.Path, 1, 1, new LivenessBurstShape(), null, TestContext.Current.CancellationToken);
        var rows = PadManifest.Read(_folder.Combine(PadManifest.FileName));
        string FirstFrame(string label) => Directory.GetFiles(_folder.Combine(rows.Single(r => r.Label == label).Path)).Order(StringComparer.Ordinal).First();

        using var print = SKBitmap.Decode(FirstFrame(SyntheticPadAttacks.PrintTurned));
        using var screen = SKBitmap.Decode(FirstFrame(SyntheticPadAttacks.ScreenTurned));

        // The middle of the picture: the screen's 3-px grid makes neighbouring pixels differ far more than the print's photo does.
        Assert.True(Ripple(screen) > 1.5 * Ripple(print), $"screen {Ripple(screen):0.0}, print {Ripple(print):0.0}");
        // Around the picture: the phone's black bezel, the print's light paper margin.
        Assert.True(DarkShare(screen) > 3 * DarkShare(print) + 0.01, $"dark pixels: screen {DarkShare(screen):0.000}, print {DarkShare(print):0.000}");
    }

    private static double Ripple(SKBitmap frame)
    {
        var (cx, cy) = (frame.Width / 2, frame.Height / 2);
        double sum = 0;
        var count = 0;
        for (var y = cy - 40; y < cy + 40; y++)
        {
            for (var x = cx - 40; x < cx + 40; x++)
            {
                sum += Math.Abs(Luma(frame.GetPixel(x + 1, y)) - Luma(frame.GetPixel(x, y)));
                count++;
            }
        }

        return sum / count;
    }

    private static double DarkShare(SKBitmap frame)
    {
        var dark = 0;
        for (var y = 0; y < frame.Height; y += 2)
        {
            for (var x = 0; x < frame.Width; x += 2)
            {
                dark += Luma(frame.GetPixel(x, y)) < 40 ? 1 : 0;
            }
        }

        return dark / (frame.Width * frame.Height / 4.0);
    }

    private static double Luma(SKColor c) => (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue);

    private static string Person(int index) =>
        Path.GetFileName(Directory.GetDirectories(TestEnvironment.RequireDataset()).Order(StringComparer.Ordinal).ToArray()[index]);
}
