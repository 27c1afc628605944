#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// The passive liveness score (MiniFASNetV2-SE, PassiveLivenessScorer) per class of pad-dev and on real lfw-dev photos:
// min / median / max, the share flagged as an attack (score below t) at a few thresholds, and the mean class
// probabilities (which output is "real"). Then the same with R and B swapped before the graph's own swap, i.e. the net fed
// R,G,B as the package's JavaScript feeds it. Clips become frames at 5 fps with Debian's ffmpeg in a temp folder.
// Run from the repository root (after a build, which prepares the models); results in docs/liveness.md:
//   dotnet run tools/pad-probe/probe.cs -- /work/shared/datasets/pad-dev /work/shared/datasets/lfw-dev 200
using System.Diagnostics;
using System.Globalization;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;

var pad = args.Length > 0 ? args[0] : throw new ArgumentException("pad-dev folder?");
var lfw = args.Length > 1 ? args[1] : throw new ArgumentException("lfw-dev folder?");
var lfwCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
double[] thresholds = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const int Window = 10;

using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
using var scorer = new PassiveLivenessScorer(new PassiveLivenessOptions(ModelCatalogue.Default.PathOf(FaceModel.MiniFasNet)), new OnnxRuntimeOptions());
var frames = Directory.CreateTempSubdirectory("pad-probe-");
try
{
    var classes = new List<(string Name, string Label, List<string> Images)> // a clip's frames are in time order
    {
        ("sfas real still", "bona fide", [Path.Combine(pad, "sfas/image_T1.jpg")]),
        ("sfas print still", "print", [Path.Combine(pad, "sfas/image_F1.jpg")]),
        ("sfas tablet still", "screen photo", [Path.Combine(pad, "sfas/image_F2.jpg")]),
        ("tvl real clip", "bona fide", Frames("tvl/real.mp4")),
        ("tvl laptop replay", "screen video", Frames("tvl/fake.mp4")),
        ("zub real clip", "bona fide", Frames("zub/real.mov")),
        ("zub phone replay", "screen video", Frames("zub/fake.mp4")),
        ($"lfw-dev first photos", "bona fide", [.. Directory.EnumerateDirectories(lfw).Order(StringComparer.Ordinal)
            .Select(d => Directory.EnumerateFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault())
            .OfType<string>().Take(lfwCount)]),
    };

    foreach (var swapped in new[] { false, true })
    {
        Console.WriteLine(swapped ? "\n== fed R,G,B (the package's JavaScript order; wrong) ==" : "== fed B,G,R (as converted) ==");
        Console.WriteLine($"{"class",-22} {"label",-13} {"n",4} {"no face",7} {"min",6} {"median",6} {"max",6}  " +
            string.Join(' ', thresholds.Select(t => $"<{t:0.0}".PadLeft(6))) + "   mean p(class 0,1,2)   clips, 2-s windows: n, median <0.1 <0.3 <0.5");
        foreach (var (name, label, images) in classes)
        {
            var scores = new List<float>();
            var probabilities = new double[3];
            var missed = 0;
            foreach (var path in images)
            {
                var image = engine.Decoder.Decode(File.ReadAllBytes(path));
                var faces = engine.Detector.Detect(image);
                if (faces.Count == 0)
                {
                    missed++;
                    continue;
                }

                var input = swapped ? SwapRedBlue(image) : image;
                var p = scorer.Probabilities(input, faces.MaxBy(f => f.Box.Area).Box);
                scores.Add(p[PassiveLivenessScorer.RealClass]);
                for (var c = 0; c < 3; c++)
                {
                    probabilities[c] += p[c];
                }
            }

            if (scores.Count == 0)
            {
                Console.WriteLine($"{name,-22} {label,-13} {images.Count,4} {missed,7}  (no face found)");
                continue;
            }

            // A burst's view: the median of 10 consecutive frames (2 s at 5 fps), every window of the clip.
            var windows = Enumerable.Range(0, Math.Max(0, scores.Count - Window + 1))
                .Select(i => Median([.. scores.Skip(i).Take(Window).Order()])).ToList();
            var windowed = windows.Count == 0 || !name.Contains("clip", StringComparison.Ordinal) && !name.Contains("replay", StringComparison.Ordinal) ? ""
                : $"   {windows.Count,4} " + string.Join(' ', new[] { 0.1, 0.3, 0.5 }.Select(t => $"{100.0 * windows.Count(m => m < t) / windows.Count,5:0}%"));
            scores.Sort();
            var flagged = thresholds.Select(t => $"{100.0 * scores.Count(s => s < t) / scores.Count,5:0}%");
            Console.WriteLine($"{name,-22} {label,-13} {scores.Count,4} {missed,7} {scores[0],6:0.000} {Median(scores),6:0.000} {scores[^1],6:0.000}  " +
                string.Join(' ', flagged) + "   " + string.Join(' ', probabilities.Select(p => (p / scores.Count).ToString("0.00", CultureInfo.InvariantCulture))) + windowed);
        }
    }
}
finally
{
    frames.Delete(recursive: true);
}

List<string> Frames(string clip)
{
    var folder = Directory.CreateDirectory(Path.Combine(frames.FullName, clip.Replace('/', '_')));
    using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-loglevel", "error", "-i", Path.Combine(pad, clip), "-vf", "fps=5", Path.Combine(folder.FullName, "%04d.png")]))
        ?? throw new InvalidOperationException("ffmpeg did not start");
    ffmpeg.WaitForExit();
    if (ffmpeg.ExitCode != 0)
    {
        throw new InvalidOperationException($"ffmpeg failed on {clip} (exit {ffmpeg.ExitCode})");
    }

    return [.. Directory.EnumerateFiles(folder.FullName, "*.png").Order(StringComparer.Ordinal)];
}

static float Median(List<float> sorted) =>
    sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

static RgbaImage SwapRedBlue(RgbaImage image)
{
    var pixels = (byte[])image.Pixels.Clone();
    for (var i = 0; i < pixels.Length; i += 4)
    {
        (pixels[i], pixels[i + 2]) = (pixels[i + 2], pixels[i]);
    }

    return new RgbaImage(image.Width, image.Height, pixels);
}
