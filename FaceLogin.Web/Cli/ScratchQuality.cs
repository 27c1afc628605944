using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;
using FaceLogin.Domain.Local.Engine.Quality;
using SkiaSharp;

namespace FaceLogin.Web.Cli;

internal static class ScratchQuality
{
    public static int Run(LocalFaceEngine engine, IReadOnlyList<string> dirs)
    {
        foreach (var dir in dirs)
        {
            var dataset = FaceDataset.Open(dir);
            var details = new List<double>();
            var d48 = new List<double>();
            var d64 = new List<double>();
            var lumas = new List<double>();
            foreach (var path in dataset.Images)
            {
                var image = engine.Decoder.Decode(File.ReadAllBytes(Path.Combine(dir, path)));
                var faces = engine.Detector.Detect(image).OrderByDescending(f => f.Box.Area).ToList();
                if (faces.Count == 0) continue;
                var pick = DatasetEmbedder.Select(faces, image, FaceSelection.Labelled, dataset.FaceCentres.TryGetValue(path, out var c) ? c : (0.5f, 0.5f)).Single();
                var (luma, detail) = FacePatchMetrics.Measure(image, faces[pick].Box);
                details.Add(detail);
                d48.Add(FacePatchMetrics.Measure(image, faces[pick].Box, 48).Detail);
                d64.Add(FacePatchMetrics.Measure(image, faces[pick].Box, 64).Detail);
                lumas.Add(luma);
            }

            Print(dir + " detail", details);
            Print(dir + " detail48", d48);
            Print(dir + " detail64", d64);
            Print(dir + " luma", lumas);
        }

        var photo = File.ReadAllBytes("/work/shared/datasets/lfw-dev/Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        using var bitmap = SKBitmap.Decode(photo);
        foreach (var sigma in new[] { 0f, 1f, 2f, 3f, 4f, 6f })
        {
            using var blurred = new SKBitmap(bitmap.Width, bitmap.Height);
            using (var canvas = new SKCanvas(blurred))
            using (var paint = new SKPaint { ImageFilter = sigma > 0 ? SKImageFilter.CreateBlur(sigma, sigma) : null })
            {
                canvas.DrawImage(SKImage.FromBitmap(bitmap), 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
            }

            using var data = SKImage.FromBitmap(blurred).Encode(SKEncodedImageFormat.Jpeg, 95);
            var image = engine.Decoder.Decode(data.ToArray());
            var faces = engine.Detector.Detect(image);
            Console.WriteLine($"blur {sigma}: " + string.Join(", ", faces.Select(f => $"{FacePatchMetrics.Measure(image, f.Box).Detail:0.0000} / 48: {FacePatchMetrics.Measure(image, f.Box, 48).Detail:0.0000} / 64: {FacePatchMetrics.Measure(image, f.Box, 64).Detail:0.0000} score {f.Score:0.00}")));
        }

        return 0;
    }

    private static void Print(string name, List<double> values)
    {
        var s = values.Order().ToArray();
        double P(double f) => s[Math.Clamp((int)Math.Ceiling(f * s.Length) - 1, 0, s.Length - 1)];
        Console.WriteLine($"{name}: n {s.Length} min {s[0]:0.0000} p1 {P(0.01):0.0000} p5 {P(0.05):0.0000} median {P(0.5):0.0000} p95 {P(0.95):0.0000} max {s[^1]:0.0000}");
    }
}
