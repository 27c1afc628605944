#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// @vladmandic/human's two passive models, antispoof (128×128, sigmoid "real") and liveness (32×32, softmax, human reports
// element 0 as "live"), as presentation-attack signals, next to Faceplugin's MiniFASNetV2-SE (PassiveLivenessScorer), on
// every class of pad-dev and on the first photo of N lfw-dev people; all frames, then only frontal frames (|yaw| < 12°,
// the analyser's yaw), which are the frames a burst judge would score.
//
// The crop is human's own (src/face/facemesh.ts, facemeshutil.ts, antispoof.ts, liveness.ts in the npm package 3.3.6): the
// BlazeFace box enlarged × 1.4 about its centre, made square on its longer side, cut and resized to 192×192 with
// tf.image.cropAndResize (bilinear, outside the image = 0), divided by 255 (inside the converted graphs), then
// tf.image.resizeBilinear (align_corners and half_pixel_centers false) to the model's input. human feeds R,G,B; each model
// is also run fed B,G,R, and liveness also on the crop its training used (the detector box alone, resized straight to 32×32
// like cv2.resize, B,G,R: leokwu/livenessnet, PyImageSearch's LivenessNet), because its training code reads frames with
// OpenCV. Clips become frames at 5 fps with Debian's ffmpeg in a temp folder (deleted afterwards).
// Run from the repository root (after a build, which prepares the models); results in docs/liveness.md:
//   dotnet run tools/pad-probe/human.cs -- /work/shared/datasets/pad-dev /work/shared/datasets/lfw-dev 200
using System.Diagnostics;
using System.Globalization;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var pad = args.Length > 0 ? args[0] : throw new ArgumentException("pad-dev folder?");
var lfw = args.Length > 1 ? args[1] : throw new ArgumentException("lfw-dev folder?");
var lfwCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
double[] thresholds = [0.1, 0.3, 0.5, 0.6, 0.9];
const int Window = 10;
const float FrontalYaw = 12f;
const int HumanFaceSize = 192; // facemesh's input: human cuts every face to this size before antispoof and liveness see it
const float HumanBoxScale = 1.4f; // config.face.detector.scale

using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
using var miniFas = new PassiveLivenessScorer(new PassiveLivenessOptions(ModelCatalogue.Default.PathOf(FaceModel.MiniFasNet)), new OnnxRuntimeOptions());
using var antispoof = new InferenceSession(ModelCatalogue.Default.PathOf(FaceModel.AntiSpoof));
using var liveness = new InferenceSession(ModelCatalogue.Default.PathOf(FaceModel.Liveness));
var frames = Directory.CreateTempSubdirectory("pad-human-");
var records = new List<Scored>();
var classes = new List<(string Name, string Label, bool Clip)>();
var missedFaces = new Dictionary<string, int>();
try
{
    void Add(string name, string label, bool clip, IEnumerable<string> images)
    {
        classes.Add((name, label, clip));
        var missed = 0;
        foreach (var path in images)
        {
            var bytes = File.ReadAllBytes(path);
            var image = engine.Decoder.Decode(bytes);
            var faces = engine.Detector.Detect(image);
            if (faces.Count == 0)
            {
                missed++;
                continue;
            }

            var box = faces.MaxBy(f => f.Box.Area).Box;
            var analysis = engine.Analyzer.Analyze(bytes, EmbedFaces.None, CancellationToken.None);
            float? yaw = analysis.Faces.Count == 0 ? null : analysis.Faces[0].Detail.Pose.Yaw;
            var humanFace = HumanFaceCrop(image, box);
            records.Add(new Scored(name, yaw,
                miniFas.Score(image, box),
                Run(antispoof, Resize(humanFace, 128, swap: false))[0],
                Run(antispoof, Resize(humanFace, 128, swap: true))[0],
                Run(liveness, Resize(humanFace, 32, swap: false)),
                Run(liveness, Resize(humanFace, 32, swap: true)),
                Run(liveness, TrainingCrop(image, box, 32))));
        }

        missedFaces[name] = missed;
    }

    Add("sfas real still", "bona fide", false, [Path.Combine(pad, "sfas/image_T1.jpg")]);
    Add("sfas print still", "print", false, [Path.Combine(pad, "sfas/image_F1.jpg")]);
    Add("sfas tablet still", "screen photo", false, [Path.Combine(pad, "sfas/image_F2.jpg")]);
    Add("tvl real (phone selfie)", "bona fide", true, Frames("tvl/real.mp4"));
    Add("tvl fake (laptop replay)", "screen video", true, Frames("tvl/fake.mp4"));
    Add("zub real (webcam)", "bona fide", true, Frames("zub/real.mov"));
    Add("zub fake (phone replay)", "screen video", true, Frames("zub/fake.mp4"));
    Add($"lfw-dev, first photo of {lfwCount} people", "bona fide", false, Directory.EnumerateDirectories(lfw).Order(StringComparer.Ordinal)
        .Select(d => Directory.EnumerateFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault())
        .OfType<string>().Take(lfwCount));
}
finally
{
    frames.Delete(recursive: true);
}

var signals = new (string Name, Func<Scored, float> Score)[]
{
    ("MiniFASNetV2-SE (B,G,R, crop × 2.7), p(real)", r => r.MiniFas),
    ("antispoof, human's crop, R,G,B as human feeds it: sigmoid (human's 'real')", r => r.AntispoofRgb),
    ("antispoof, human's crop, B,G,R", r => r.AntispoofBgr),
    ("liveness, human's crop, R,G,B as human feeds it: softmax[0] (human's 'live')", r => r.LivenessRgb[0]),
    ("liveness, human's crop, R,G,B: softmax[1]", r => r.LivenessRgb[1]),
    ("liveness, human's crop, B,G,R: softmax[1]", r => r.LivenessBgr[1]),
    ("liveness, training crop (detector box, B,G,R): softmax[1]", r => r.LivenessTraining[1]),
    // Both as votes: a frame is flagged when either flags it (the lower score), to see whether liveness adds to MiniFASNet.
    ("MiniFASNetV2-SE or liveness (human's way): the lower of p(real) and softmax[0]", r => Math.Min(r.MiniFas, r.LivenessRgb[0])),
};

foreach (var frontalOnly in new[] { false, true })
{
    foreach (var (signal, score) in signals)
    {
        Console.WriteLine($"\n## {signal}{(frontalOnly ? $", frontal frames only (|yaw| < {FrontalYaw:0}°)" : ", all frames")}\n");
        Console.WriteLine("| class (pad-dev unless said) | label | frames | min | median | max | " +
            string.Join(" | ", thresholds.Select(t => $"< {t:0.0#}")) + " | 2-s window medians < 0.1 / 0.3 / 0.5 |");
        Console.WriteLine("|---|---|---|---|---|---|" + string.Concat(thresholds.Select(_ => "---|")) + "---|");
        foreach (var (name, label, clip) in classes)
        {
            var all = records.Where(r => r.Class == name).ToList();
            var kept = all.Where(r => !frontalOnly || r.Yaw is { } y && Math.Abs(y) < FrontalYaw).Select(score).ToList();
            var stillYaw = all is [{ Yaw: { } yaw }] ? $" (yaw {yaw:0}°)" : "";
            var count = frontalOnly ? $"{kept.Count} of {all.Count}{stillYaw}" : missedFaces[name] > 0 ? $"{kept.Count} (+{missedFaces[name]} without a face)" : $"{kept.Count}";
            if (kept.Count == 0)
            {
                Console.WriteLine($"| {name} | {label} | {count} | | | |" + string.Concat(thresholds.Select(_ => " |")) + " |");
                continue;
            }

            // A burst's view: the median of 10 consecutive scored frames (2 s at 5 fps; with frontal frames only, 10
            // consecutive frontal frames), every window of the clip.
            var windows = Enumerable.Range(0, Math.Max(0, kept.Count - Window + 1))
                .Select(i => Median([.. kept.Skip(i).Take(Window).Order()])).ToList();
            var windowed = !clip || windows.Count == 0 ? ""
                : string.Join(" / ", new[] { 0.1, 0.3, 0.5 }.Select(t => $"{Percent(windows.Count(m => m < t), windows.Count)}")) + $" of {windows.Count}";
            var sorted = kept.Order().ToList();
            var spread = sorted.Count == 1 ? $"{sorted[0]:0.000} | | " : $"{sorted[0]:0.000} | {Median(sorted):0.000} | {sorted[^1]:0.000}";
            Console.WriteLine($"| {name} | {label} | {count} | {spread} | " +
                string.Join(" | ", thresholds.Select(t => Percent(sorted.Count(s => s < t), sorted.Count))) + $" | {windowed} |");
        }

        // One operating point: the threshold that flags 5 % of the lfw-dev photos (bona fide), and what it then flags elsewhere.
        var bonaFide = records.Where(r => r.Class.StartsWith("lfw-dev", StringComparison.Ordinal)
            && (!frontalOnly || r.Yaw is { } y && Math.Abs(y) < FrontalYaw)).Select(score).Order().ToList();
        if (bonaFide.Count > 0)
        {
            var at = bonaFide[(int)Math.Floor(0.05 * bonaFide.Count)];
            Console.WriteLine($"\nAt the threshold flagging 5 % of lfw-dev ({at:0.000}), flagged: " + string.Join("; ", classes
                .Where(c => !c.Name.StartsWith("lfw-dev", StringComparison.Ordinal))
                .Select(c => (c.Name, Scores: records.Where(r => r.Class == c.Name && (!frontalOnly || r.Yaw is { } y && Math.Abs(y) < FrontalYaw)).Select(score).ToList()))
                .Where(c => c.Scores.Count > 0)
                .Select(c => $"{c.Name} {Percent(c.Scores.Count(s => s < at), c.Scores.Count)}")));
        }
    }
}

// The mean of each liveness output per class (which element is "live"?), human's crop R,G,B and training crop B,G,R.
Console.WriteLine("\n## liveness mean softmax [0, 1] per class: human's crop R,G,B | human's crop B,G,R | training crop B,G,R\n");
foreach (var (name, _, _) in classes)
{
    var rows = records.Where(r => r.Class == name).ToList();
    string Mean(Func<Scored, float[]> pick) => rows.Count == 0 ? "—"
        : $"{rows.Average(r => pick(r)[0]):0.00}, {rows.Average(r => pick(r)[1]):0.00}";
    Console.WriteLine($"| {name} | {Mean(r => r.LivenessRgb)} | {Mean(r => r.LivenessBgr)} | {Mean(r => r.LivenessTraining)} |");
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

// human's face tensor: util.enlargeBox(box, 1.4), util.squarifyBox (longer side, corners rounded), then
// tf.image.cropAndResize to 192×192: normalised box corners mapped onto [0, size − 1], bilinear, 0 outside the image.
// R,G,B 0..255 (the /255 is in the converted graphs), HWC.
static float[] HumanFaceCrop(RgbaImage image, PixelRect box)
{
    var (cx, cy) = (box.X + box.Width / 2.0, box.Y + box.Height / 2.0);
    var half = Math.Max(box.Width * HumanBoxScale, box.Height * HumanBoxScale) / 2.0;
    double x1 = Math.Round(cx - half), y1 = Math.Round(cy - half), x2 = Math.Round(cx + half), y2 = Math.Round(cy + half);
    int w = image.Width, h = image.Height, n = HumanFaceSize;
    var output = new float[n * n * 3];
    for (var y = 0; y < n; y++)
    {
        var inY = y1 / h * (h - 1) + y * ((y2 - y1) / h * (h - 1) / (n - 1));
        if (inY < 0 || inY > h - 1)
        {
            continue;
        }

        for (var x = 0; x < n; x++)
        {
            var inX = x1 / w * (w - 1) + x * ((x2 - x1) / w * (w - 1) / (n - 1));
            if (inX < 0 || inX > w - 1)
            {
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                output[(y * n + x) * 3 + c] = (float)Bilinear(image, inX, inY, c);
            }
        }
    }

    return output;
}

// tf.image.resizeBilinear(face, [size, size], alignCorners = false): source = destination × (in / out), no half-pixel shift.
static float[] Resize(float[] face, int size, bool swap)
{
    var n = HumanFaceSize;
    var scale = (double)n / size;
    var output = new float[size * size * 3];
    for (var y = 0; y < size; y++)
    {
        var sy = y * scale;
        int top = (int)Math.Floor(sy), bottom = Math.Min(n - 1, (int)Math.Ceiling(sy));
        var fy = sy - top;
        for (var x = 0; x < size; x++)
        {
            var sx = x * scale;
            int left = (int)Math.Floor(sx), right = Math.Min(n - 1, (int)Math.Ceiling(sx));
            var fx = sx - left;
            for (var c = 0; c < 3; c++)
            {
                double At(int yy, int xx) => face[(yy * n + xx) * 3 + c];
                var topValue = At(top, left) + (At(top, right) - At(top, left)) * fx;
                var bottomValue = At(bottom, left) + (At(bottom, right) - At(bottom, left)) * fx;
                output[(y * size + x) * 3 + (swap ? 2 - c : c)] = (float)(topValue + (bottomValue - topValue) * fy);
            }
        }
    }

    return output;
}

// LivenessNet's training and demo crop: the detector's box (clamped to the image) resized straight to size × size as
// cv2.resize(INTER_LINEAR) does (half-pixel centres, edges clamped), B,G,R as OpenCV reads frames.
static float[] TrainingCrop(RgbaImage image, PixelRect box, int size)
{
    double x1 = Math.Max(0, Math.Floor(box.X)), y1 = Math.Max(0, Math.Floor(box.Y));
    double x2 = Math.Min(image.Width, Math.Floor(box.X + box.Width)), y2 = Math.Min(image.Height, Math.Floor(box.Y + box.Height));
    var output = new float[size * size * 3];
    for (var y = 0; y < size; y++)
    {
        var sy = Math.Clamp(y1 + (y + 0.5) * (y2 - y1) / size - 0.5, y1, y2 - 1);
        for (var x = 0; x < size; x++)
        {
            var sx = Math.Clamp(x1 + (x + 0.5) * (x2 - x1) / size - 0.5, x1, x2 - 1);
            for (var c = 0; c < 3; c++)
            {
                output[(y * size + x) * 3 + 2 - c] = (float)Bilinear(image, sx, sy, c);
            }
        }
    }

    return output;
}

static double Bilinear(RgbaImage image, double x, double y, int channel)
{
    int left = (int)Math.Floor(x), top = (int)Math.Floor(y);
    int right = Math.Min(image.Width - 1, left + 1), bottom = Math.Min(image.Height - 1, top + 1);
    double fx = x - left, fy = y - top;
    double At(int yy, int xx) => image.Pixels[yy * image.Stride + xx * 4 + channel];
    var topValue = At(top, left) + (At(top, right) - At(top, left)) * fx;
    var bottomValue = At(bottom, left) + (At(bottom, right) - At(bottom, left)) * fx;
    return topValue + (bottomValue - topValue) * fy;
}

static float[] Run(InferenceSession session, float[] nhwc)
{
    var size = (int)Math.Round(Math.Sqrt(nhwc.Length / 3.0));
    using var input = OrtValue.CreateTensorValueFromMemory(nhwc, [1, size, size, 3]);
    using var options = new RunOptions();
    using var outputs = session.Run(options, [FaceModelDescription.InputName], [input], [session.OutputMetadata.Keys.Single()]);
    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
}

static float Median(List<float> sorted) =>
    sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

static string Percent(int part, int whole) => $"{100.0 * part / whole:0} %";

internal sealed record Scored(string Class, float? Yaw, float MiniFas, float AntispoofRgb, float AntispoofBgr, float[] LivenessRgb, float[] LivenessBgr, float[] LivenessTraining);
