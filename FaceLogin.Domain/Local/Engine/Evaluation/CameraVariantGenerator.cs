using System.Globalization;
using System.Text;
using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// Makes a camera-like copy of a face dataset laid out as lfw-dev: every photo becomes a 640×480 frame in which it sits
/// small, off-centre and tilted over a synthetic room, with uneven light, colour cast, blur, sensor noise and JPEG
/// compression. The same seed gives byte-identical frames, whatever the order or parallelism, because each photo's
/// parameters come from the seed and its path alone. The pairs and identification files are copied, so the evaluate
/// command runs on the result unchanged; <c>face-centres.tsv</c> says where each photo's centre (LFW's labelled face) landed.
/// </summary>
public static class CameraVariantGenerator
{
    public const int FrameWidth = 640;
    public const int FrameHeight = 480;
    public const string FaceCentresFile = "face-centres.tsv";

    /// <summary>What was done to one photo: recorded in <c>frames.tsv</c> so a failure can be traced to its cause.</summary>
    public sealed record FrameParameters(
        float Scale,
        float AngleDegrees,
        float CentreX,
        float CentreY,
        float Gain,
        float Gamma,
        float WarmTint,
        float ShadowStrength,
        float ShadowAngleDegrees,
        float BlurSigma,
        float NoiseSigma,
        int JpegQuality);

    /// <summary>
    /// Parameter ranges. LFW's 250 px photos hold a face about 110 px across; scale 0.7–1.7 gives faces of about 75–190 px
    /// in the frame, the range a laptop camera sees from arm's length to close up.
    /// </summary>
    public static FrameParameters Draw(int seed, string relativePath)
    {
        var random = new Random(StableHash(seed, relativePath));
        float Uniform(double min, double max) => (float)(min + random.NextDouble() * (max - min));
        var scale = Uniform(0.7, 1.7);
        return new FrameParameters(
            Scale: scale,
            AngleDegrees: Uniform(-20, 20),
            CentreX: Uniform(0.22, 0.78) * FrameWidth,
            CentreY: Uniform(0.28, 0.72) * FrameHeight,
            Gain: Uniform(0.45, 1.3),
            Gamma: Uniform(0.75, 1.35),
            WarmTint: Uniform(-0.12, 0.12),
            ShadowStrength: Uniform(0, 0.5),
            ShadowAngleDegrees: Uniform(0, 360),
            BlurSigma: random.NextDouble() < 0.5 ? 0 : Uniform(0.3, 1.6),
            NoiseSigma: Uniform(0, 7),
            JpegQuality: random.Next(45, 96));
    }

    /// <summary>Renders one photo into a camera-like JPEG frame.</summary>
    public static byte[] Render(byte[] photoBytes, FrameParameters p, int backgroundSeed)
    {
        using var photo = SKImage.FromEncodedData(photoBytes)
            ?? throw new InvalidDataException("The source photo cannot be decoded.");
        var info = new SKImageInfo(FrameWidth, FrameHeight, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        DrawRoom(canvas, new Random(backgroundSeed));

        // The photo, scaled and tilted about its centre, with feathered edges so no hard rectangle frames the face.
        canvas.Save();
        canvas.Translate(p.CentreX, p.CentreY);
        canvas.RotateDegrees(p.AngleDegrees);
        canvas.Scale(p.Scale);
        var half = new SKPoint(photo.Width / 2f, photo.Height / 2f);
        using (var shader = photo.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKCubicResampler.Mitchell), SKMatrix.CreateTranslation(-half.X, -half.Y)))
        using (var feather = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, 6))
        using (var paint = new SKPaint { Shader = shader, MaskFilter = feather, IsAntialias = true })
        {
            canvas.DrawRect(new SKRect(-half.X + 8, -half.Y + 8, half.X - 8, half.Y - 8), paint);
        }

        canvas.Restore();

        // Side light: a soft dark gradient across the frame in a random direction.
        var (sin, cos) = MathF.SinCos(p.ShadowAngleDegrees * MathF.PI / 180);
        var centre = new SKPoint(FrameWidth / 2f, FrameHeight / 2f);
        using (var shadow = SKShader.CreateLinearGradient(
                   new SKPoint(centre.X - cos * 400, centre.Y - sin * 400),
                   new SKPoint(centre.X + cos * 400, centre.Y + sin * 400),
                   [new SKColor(0, 0, 0, (byte)(255 * p.ShadowStrength)), SKColors.Transparent],
                   SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = shadow })
        {
            canvas.DrawRect(info.Rect, paint);
        }

        using var snapshot = surface.Snapshot();
        using var finalSurface = SKSurface.Create(info);
        using (var paint = new SKPaint())
        {
            if (p.BlurSigma > 0)
            {
                paint.ImageFilter = SKImageFilter.CreateBlur(p.BlurSigma, p.BlurSigma, SKShaderTileMode.Clamp);
            }

            finalSurface.Canvas.DrawImage(snapshot, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }

        var pixels = new byte[info.BytesSize];
        using (var pixmap = finalSurface.PeekPixels())
        {
            System.Runtime.InteropServices.Marshal.Copy(pixmap.GetPixels(), pixels, 0, pixels.Length);
        }

        ApplyExposureAndNoise(pixels, p, new Random(backgroundSeed ^ 0x5EED));
        using var data = SKData.CreateCopy(pixels);
        using var image = SKImage.FromPixels(info, data);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, p.JpegQuality);
        return encoded.ToArray();
    }

    /// <summary>Generates the whole variant; returns how many frames were written.</summary>
    public static int Generate(string datasetDirectory, string outputDirectory, int seed, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var photos = Directory.EnumerateFiles(datasetDirectory, "*.jpg", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(datasetDirectory, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (photos.Count == 0)
        {
            throw new InvalidDataException($"No .jpg photos under {datasetDirectory}.");
        }

        Directory.CreateDirectory(outputDirectory);
        var rows = new string[photos.Count];
        var done = 0;
        Parallel.For(0, photos.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var relative = photos[i];
            var parameters = Draw(seed, relative);
            var frame = Render(File.ReadAllBytes(Path.Combine(datasetDirectory, relative)), parameters, StableHash(seed + 1, relative));
            var target = Path.Combine(outputDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, frame);
            rows[i] = string.Join('\t', relative, F(parameters.CentreX), F(parameters.CentreY), F(parameters.Scale), F(parameters.AngleDegrees),
                F(parameters.Gain), F(parameters.Gamma), F(parameters.WarmTint), F(parameters.ShadowStrength), F(parameters.BlurSigma),
                F(parameters.NoiseSigma), parameters.JpegQuality.ToString(CultureInfo.InvariantCulture));
            progress?.Report((Interlocked.Increment(ref done), photos.Count));
        });

        // As fractions of the frame, so a reader need not know the frame's size.
        File.WriteAllLines(Path.Combine(outputDirectory, FaceCentresFile),
            ["path\tx\ty", .. photos.Select(p =>
            {
                var parameters = Draw(seed, p);
                return string.Join('\t', p, (parameters.CentreX / FrameWidth).ToString("0.####", CultureInfo.InvariantCulture),
                    (parameters.CentreY / FrameHeight).ToString("0.####", CultureInfo.InvariantCulture));
            })]);
        File.WriteAllLines(Path.Combine(outputDirectory, "frames.tsv"),
            ["path\tcentreX\tcentreY\tscale\tangle\tgain\tgamma\twarmTint\tshadow\tblurSigma\tnoiseSigma\tjpegQuality", .. rows]);
        foreach (var file in new[] { "pairs.tsv", "identification.tsv", "identities.tsv" })
        {
            var source = Path.Combine(datasetDirectory, file);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(outputDirectory, file), overwrite: true);
            }
        }

        File.WriteAllText(Path.Combine(outputDirectory, "README.md"), Readme(datasetDirectory, seed, photos.Count), Encoding.UTF8);
        return photos.Count;
    }

    internal static int StableHash(int seed, string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, which would break determinism.
        var hash = 2166136261u ^ (uint)seed;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private static void DrawRoom(SKCanvas canvas, Random random)
    {
        SKColor RandomColour(int min, int max) => new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));
        using (var wall = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(FrameWidth, FrameHeight),
                   [RandomColour(90, 230), RandomColour(40, 200)], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = wall })
        {
            canvas.DrawRect(0, 0, FrameWidth, FrameHeight, paint);
        }

        // Furniture, shelves and windows: edges and texture for the detector to ignore.
        using var shapePaint = new SKPaint { IsAntialias = true };
        for (var i = 0; i < 7; i++)
        {
            shapePaint.Color = RandomColour(20, 250).WithAlpha((byte)random.Next(120, 256));
            var x = random.Next(-100, FrameWidth);
            var y = random.Next(-100, FrameHeight);
            var w = random.Next(40, 320);
            var h = random.Next(40, 320);
            if (random.Next(3) == 0)
            {
                canvas.DrawOval(new SKRect(x, y, x + w, y + h), shapePaint);
            }
            else
            {
                canvas.DrawRect(new SKRect(x, y, x + w, y + h), shapePaint);
            }
        }
    }

    /// <summary>Gain and gamma (exposure), a warm or cool cast, then Gaussian sensor noise: per pixel, in place.</summary>
    private static void ApplyExposureAndNoise(byte[] rgba, FrameParameters p, Random random)
    {
        var lut = new byte[3][];
        var tints = new[] { 1 + p.WarmTint, 1f, 1 - p.WarmTint };
        for (var c = 0; c < 3; c++)
        {
            lut[c] = new byte[256];
            for (var v = 0; v < 256; v++)
            {
                var linear = MathF.Pow(v / 255f, p.Gamma) * p.Gain * tints[c];
                lut[c][v] = (byte)Math.Clamp((int)(linear * 255 + 0.5f), 0, 255);
            }
        }

        for (var i = 0; i < rgba.Length; i += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                var noisy = lut[c][rgba[i + c]] + p.NoiseSigma * Gaussian(random);
                rgba[i + c] = (byte)Math.Clamp((int)(noisy + 0.5f), 0, 255);
            }
        }
    }

    private static float Gaussian(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static string F(float value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Readme(string source, int seed, int count) => $"""
        # Camera-like variant of {Path.GetFileName(Path.TrimEndingDirectorySeparator(source))}

        Generated by `dotnet run --project FaceLogin.Web -c Release -- camera-variant --dataset {source} --out <this folder> --seed {seed}`.
        {count} frames of {FrameWidth}×{FrameHeight} px. Each source photo was scaled 0.7–1.7× (face ≈ 75–190 px), tilted ±20°,
        placed off-centre with feathered edges over a synthetic room, then given gain 0.45–1.3, gamma 0.75–1.35, a warm/cool cast
        of ±12 %, a side shadow of up to 50 %, Gaussian blur σ 0.3–1.6 px on half of the frames, sensor noise σ 0–7 and JPEG quality 45–95.
        `frames.tsv` lists every frame's parameters; `face-centres.tsv` where the source photo's centre (its labelled face) landed, as fractions of the frame.
        pairs.tsv, identification.tsv and identities.tsv are copies of the source's. Derived from LFW: the source's terms apply.
        """;
}
