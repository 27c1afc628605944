using System.Globalization;
using System.Text;
using FaceLogin.Domain.Faces.Liveness;
using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// Presentation attacks made from face photos (lfw-dev), written with a manifest.tsv that <c>evaluate-pad</c> measures. Per
/// person, the first photo becomes three attacks, each filmed by a simulated camera at the page's frame size:
/// <list type="bullet">
/// <item><c>print_still</c>: the photo printed (white paper margin) and held still before the camera: one picture, judged
/// against every challenge as a held still.</item>
/// <item><c>print_turned</c>: the same print held by hand and turned in perspective to follow a challenge (the nastiest print
/// attack: it performs the steps), with a hand's wobble (roll, pitch, shift); a folder of the burst's frames.</item>
/// <item><c>screen_turned</c>: the photo on a simulated phone screen (black bezel, a pixel grid that aliases into moiré, a
/// bright cold backlight and a glare), turned the same way.</item>
/// </list>
/// The challenge a turned attack follows cycles through every challenge the server can issue. The same seed gives the same
/// files. Write them outside the repository: they are derived from the photos and their terms apply.
/// </summary>
public static class SyntheticPadAttacks
{
    public const string PrintStill = "print_still";
    public const string PrintTurned = "print_turned";
    public const string ScreenTurned = "screen_turned";

    /// <summary>How far a turned picture is turned at a step's height, degrees about its vertical axis: far, short of edge-on.</summary>
    public const float TurnDegrees = 55;

    /// <summary>
    /// The sign that makes a turned picture look like the step it follows. Measured with the engine's landmark pose: a picture
    /// whose image-left edge recedes (negative angle here) reads as a slightly positive yaw (a turn to the person's own left);
    /// about a fifth of the picture's angle (40° gave 5–9°), so a flat picture hardly ever reaches a turn (docs/liveness.md).
    /// </summary>
    private const float LeftTurnSign = -1;

    private const int FocalPx = 420;

    public sealed record Written(int People, int Presentations);

    /// <summary>Writes the attacks of the first <paramref name="people"/> people (folders in name order) and the manifest.</summary>
    public static Written Generate(string photosDirectory, string outputDirectory, int people, int seed, LivenessBurstShape shape, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var photos = Directory.GetDirectories(photosDirectory).Order(StringComparer.Ordinal)
            .Select(d => Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault())
            .OfType<string>().Take(people).ToList();
        if (photos.Count == 0)
        {
            throw new PadInputException($"No person folders with .jpg photos under {photosDirectory}.");
        }

        Directory.CreateDirectory(outputDirectory);
        var rows = new List<string> { "path\tlabel\tchallenge" };
        for (var i = 0; i < photos.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var person = Path.GetFileName(Path.GetDirectoryName(photos[i]))!;
            var photo = File.ReadAllBytes(photos[i]);
            var challenge = PadChallengeSpec.EveryIssuable[i % PadChallengeSpec.EveryIssuable.Count];
            var random = new Random(CameraVariantGenerator.StableHash(seed, person));
            var scene = Scene.Draw(random, shape.FrameMaxSide);

            var still = Path.Combine(PrintStill, person + ".jpg");
            WriteFile(outputDirectory, still, scene.Render(photo, Pose.Frontal, Medium.Print, captureSeed: 0));
            rows.Add($"{still}\t{PrintStill}\t");
            foreach (var (label, medium) in new[] { (PrintTurned, Medium.Print), (ScreenTurned, Medium.Screen) })
            {
                var folder = Path.Combine(label, person);
                var poses = Poses(challenge.Steps, shape, random);
                for (var k = 0; k < poses.Count; k++)
                {
                    WriteFile(outputDirectory, Path.Combine(folder, k.ToString("0000", CultureInfo.InvariantCulture) + ".jpg"), scene.Render(photo, poses[k], medium, captureSeed: k + 1));
                }

                rows.Add($"{folder}\t{label}\t{challenge}");
            }

            progress?.Report((i + 1, photos.Count));
        }

        File.WriteAllLines(Path.Combine(outputDirectory, PadManifest.FileName), rows.Select(r => r.Replace('\\', '/')));
        File.WriteAllText(Path.Combine(outputDirectory, "README.md"), Readme(photosDirectory, photos.Count, seed), Encoding.UTF8);
        return new Written(photos.Count, rows.Count - 1);
    }

    /// <summary>
    /// The picture's pose at each capture of a burst answering <paramref name="steps"/> at the page's timing: frontal in the
    /// look phase; for each step, 300 ms after it is shown, turned to ±<see cref="TurnDegrees"/> over 350 ms, held 250 ms,
    /// back over 350 ms, as a person turning a print would; plus a hand's slow wobble.
    /// </summary>
    public static IReadOnlyList<Pose> Poses(IReadOnlyList<HeadMovement> steps, LivenessBurstShape shape, Random random)
    {
        var duration = shape.LookMs + (steps.Count * shape.StepMs);
        var phase = random.NextDouble() * Math.PI * 2;
        var poses = new List<Pose>();
        for (var atMs = 0; atMs < duration; atMs += shape.FrameIntervalMs)
        {
            var yaw = 0f;
            for (var i = 0; i < steps.Count; i++)
            {
                var sign = steps[i] == HeadMovement.TurnLeft ? LeftTurnSign : -LeftTurnSign;
                yaw += sign * TurnDegrees * Bump(atMs - (shape.LookMs + (i * shape.StepMs)) - 300);
            }

            var t = atMs / 1000.0;
            poses.Add(new Pose(yaw, (float)(4 * Math.Sin((2.1 * t) + phase)), (float)(3 * Math.Sin((1.3 * t) + (2 * phase))),
                (float)(0.03 * Math.Sin((1.7 * t) + phase)), (float)(0.02 * Math.Cos((1.1 * t) + phase))));
        }

        return poses;
    }

    private static float Bump(int ms) => ms switch
    {
        < 0 => 0,
        < 350 => ms / 350f,
        < 600 => 1,
        < 950 => 1 - ((ms - 600) / 350f),
        _ => 0,
    };

    private static void WriteFile(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static string Readme(string source, int people, int seed) => $"""
        # Synthetic presentation attacks

        Made by `make-pad-attacks --lfw {source} --out <this folder> --people {people} --seed {seed}` from the first photo of
        each of the first {people} people; measured by `evaluate-pad --dataset <this folder> --out DIR`. Labels: {PrintStill} (a
        print held still: judged against every challenge), {PrintTurned} (the print turned in perspective to follow the
        manifest's challenge), {ScreenTurned} (the photo on a simulated phone screen, turned alike). Derived from the photos: their
        terms apply; never commit these files.
        """;

    /// <summary>Where the picture is: turned about its vertical axis (yaw) and its horizontal one (pitch), rolled, shifted (fractions of the frame).</summary>
    public readonly record struct Pose(float YawDegrees, float PitchDegrees, float RollDegrees, float ShiftX, float ShiftY)
    {
        public static Pose Frontal { get; } = new(0, 0, 0, 0, 0);
    }

    private enum Medium
    {
        Print,
        Screen,
    }

    /// <summary>A room behind the picture, fixed per person, and the camera that films it.</summary>
    private sealed class Scene(SKColor wallA, SKColor wallB, (SKRect Rect, SKColor Colour)[] shapes, int width, int height)
    {
        public static Scene Draw(Random random, int maxSide)
        {
            SKColor Colour(int min, int max) => new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));
            var (width, height) = (maxSide, maxSide * 3 / 4);
            var shapes = Enumerable.Range(0, 6).Select(_ =>
            {
                var (x, y) = (random.Next(-60, width), random.Next(-60, height));
                return (new SKRect(x, y, x + random.Next(30, 220), y + random.Next(30, 220)), Colour(20, 250));
            }).ToArray();
            return new Scene(Colour(90, 230), Colour(40, 200), shapes, width, height);
        }

        public byte[] Render(byte[] photoBytes, Pose pose, Medium medium, int captureSeed)
        {
            using var photo = SKImage.FromEncodedData(photoBytes) ?? throw new PadInputException("A photo cannot be decoded.");
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var surface = SKSurface.Create(info);
            var canvas = surface.Canvas;
            using (var wall = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [wallA, wallB], SKShaderTileMode.Clamp))
            using (var paint = new SKPaint { Shader = wall })
            {
                canvas.DrawRect(info.Rect, paint);
            }

            using (var paint = new SKPaint { IsAntialias = true })
            {
                foreach (var (rect, colour) in shapes)
                {
                    paint.Color = colour;
                    canvas.DrawRect(rect, paint);
                }
            }

            using var card = medium == Medium.Print ? Print(photo) : Screen(photo);
            canvas.Save();
            // The picture spans about 62 % of the frame's height at the camera's distance.
            var worldPerPixel = 0.62f * height / (FocalPx * (float)card.Height);
            canvas.SetMatrix(Projection(pose, card.Width, card.Height, worldPerPixel));
            using (var paint = new SKPaint { IsAntialias = true })
            {
                canvas.DrawImage(card, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
            }

            canvas.Restore();
            // Read back in the surface's own RGBA order (a bitmap made from the snapshot may be BGRA).
            var pixels = new byte[info.BytesSize];
            using (var pixmap = surface.PeekPixels())
            {
                System.Runtime.InteropServices.Marshal.Copy(pixmap.GetPixels(), pixels, 0, pixels.Length);
            }

            var noise = new Random(captureSeed * 7919 + 1);
            for (var i = 0; i < pixels.Length; i += 4)
            {
                for (var c = 0; c < 3; c++)
                {
                    pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + noise.Next(-3, 4), 0, 255);
                }
            }

            return PadImages.EncodeJpeg(pixels, info, 85);
        }

        /// <summary>
        /// A pinhole camera (focal <see cref="FocalPx"/>, centred) looking at the picture one unit away, turned by the pose:
        /// the homography K·[r1 r2 t] from the picture's pixels (centred) to the frame's.
        /// </summary>
        private SKMatrix Projection(Pose pose, int cardWidth, int cardHeight, float worldPerPixel)
        {
            static double Rad(float degrees) => degrees * Math.PI / 180;
            var (sy, cy) = Math.SinCos(Rad(pose.YawDegrees));
            var (sp, cp) = Math.SinCos(Rad(pose.PitchDegrees));
            var (sr, cr) = Math.SinCos(Rad(pose.RollDegrees));
            // R = Rz(roll) · Ry(yaw) · Rx(pitch); only its first two columns act on a plane.
            double[,] ry = { { cy, 0, sy }, { 0, 1, 0 }, { -sy, 0, cy } };
            double[,] rx = { { 1, 0, 0 }, { 0, cp, -sp }, { 0, sp, cp } };
            double[,] rz = { { cr, -sr, 0 }, { sr, cr, 0 }, { 0, 0, 1 } };
            var r = Multiply(rz, Multiply(ry, rx));
            var s = worldPerPixel;
            var (tx, ty, tz) = (pose.ShiftX, pose.ShiftY, 1.0);
            double[,] plane = { { r[0, 0] * s, r[0, 1] * s, tx }, { r[1, 0] * s, r[1, 1] * s, ty }, { r[2, 0] * s, r[2, 1] * s, tz } };
            double[,] k = { { FocalPx, 0, width / 2.0 }, { 0, FocalPx, height / 2.0 }, { 0, 0, 1 } };
            double[,] centre = { { 1, 0, -cardWidth / 2.0 }, { 0, 1, -cardHeight / 2.0 }, { 0, 0, 1 } };
            var h = Multiply(k, Multiply(plane, centre));
            var n = h[2, 2];
            return new SKMatrix(
                (float)(h[0, 0] / n), (float)(h[0, 1] / n), (float)(h[0, 2] / n),
                (float)(h[1, 0] / n), (float)(h[1, 1] / n), (float)(h[1, 2] / n),
                (float)(h[2, 0] / n), (float)(h[2, 1] / n), 1f);
        }

        private static double[,] Multiply(double[,] a, double[,] b)
        {
            var c = new double[3, 3];
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    c[i, j] = (a[i, 0] * b[0, j]) + (a[i, 1] * b[1, j]) + (a[i, 2] * b[2, j]);
                }
            }

            return c;
        }

        /// <summary>The photo on paper: a white margin of 8 % and a slightly warm, matt tone (the colour matrix's offsets are 0..1).</summary>
        private static SKImage Print(SKImage photo)
        {
            var margin = (int)(photo.Width * 0.08);
            using var surface = SKSurface.Create(new SKImageInfo(photo.Width + (2 * margin), photo.Height + (2 * margin), SKColorType.Rgba8888, SKAlphaType.Premul));
            surface.Canvas.Clear(new SKColor(242, 238, 228));
            using (var paint = new SKPaint { ColorFilter = SKColorFilter.CreateColorMatrix(
                [0.9f, 0, 0, 0, 0.055f, 0, 0.88f, 0, 0, 0.047f, 0, 0, 0.82f, 0, 0.04f, 0, 0, 0, 1, 0]) })
            {
                surface.Canvas.DrawImage(photo, margin, margin, new SKSamplingOptions(SKFilterMode.Linear), paint);
            }

            return surface.Snapshot();
        }

        /// <summary>
        /// The photo on a phone: a black bezel, the picture brightened and cooled by the backlight, a fine pixel grid (a
        /// 3-px period that the camera's resampling aliases into moiré once turned), and a soft diagonal glare.
        /// </summary>
        private static SKImage Screen(SKImage photo)
        {
            var bezel = (int)(photo.Width * 0.06);
            var (w, h) = (photo.Width + (2 * bezel), photo.Height + (3 * bezel));
            using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.Transparent);
            using (var body = new SKPaint { Color = new SKColor(18, 18, 22), IsAntialias = true })
            {
                canvas.DrawRoundRect(new SKRect(0, 0, w, h), bezel, bezel, body);
            }

            var screen = new SKRect(bezel, bezel * 1.5f, bezel + photo.Width, (bezel * 1.5f) + photo.Height);
            using (var paint = new SKPaint { ColorFilter = SKColorFilter.CreateColorMatrix(
                [0.95f, 0, 0, 0, 0.07f, 0, 1f, 0, 0, 0.086f, 0, 0, 1.08f, 0, 0.12f, 0, 0, 0, 1, 0]) })
            {
                canvas.DrawImage(photo, screen, new SKSamplingOptions(SKFilterMode.Linear), paint);
            }

            using (var grid = new SKPaint { Color = new SKColor(0, 0, 0, 60), StrokeWidth = 1 })
            {
                for (var x = screen.Left; x < screen.Right; x += 3)
                {
                    canvas.DrawLine(x, screen.Top, x, screen.Bottom, grid);
                }

                for (var y = screen.Top; y < screen.Bottom; y += 3)
                {
                    canvas.DrawLine(screen.Left, y, screen.Right, y, grid);
                }
            }

            using (var glare = SKShader.CreateLinearGradient(new SKPoint(screen.Left, screen.Top), new SKPoint(screen.Right, screen.Bottom),
                       [SKColors.Transparent, new SKColor(255, 255, 255, 90), SKColors.Transparent], [0.3f, 0.45f, 0.6f], SKShaderTileMode.Clamp))
            using (var paint = new SKPaint { Shader = glare })
            {
                canvas.DrawRect(screen, paint);
            }

            return surface.Snapshot();
        }
    }
}
