#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// The signals that can tell an upside-down face from an upright one, per lfw-dev photo, for the largest face: the detector's
// margin on equal crops (turned score − upright score), and the recogniser's unnormalised output length (MobileFaceNet's
// embedding norm) on the chip cut from the upright reading and from the turned one. Also how long the recogniser's look
// takes (two landmark passes and two chips). Prints one tab-separated row per photo and variant, then a summary: for each
// variant, how many faces the detector alone settles and how many the norm settles right where the detector cannot tell.
// Run from the repository root (after a build, which prepares the models); results in docs/engine.md, "Upside-down faces":
//   dotnet run tools/orientation-probe/signals.cs -- /work/shared/datasets/lfw-dev 200
//   dotnet run tools/orientation-probe/signals.cs -- /work/shared/datasets/lfw-dev 200 200   (the next 200 people)
using System.Diagnostics;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Detection;
using FaceLogin.Domain.Local.Engine.Models;
using SkiaSharp;

var dataset = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("FACELOGIN_DATASET") ?? throw new ArgumentException("dataset folder?");
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
// An optional third argument skips that many people first: photos the rule was not fitted on.
var skip = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
var photos = Directory.EnumerateDirectories(dataset).Order(StringComparer.Ordinal)
    .Select(d => Directory.EnumerateFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault())
    .OfType<string>().Skip(skip).Take(count).ToList();

// Whether each variant is really upside down.
var variants = new (string Name, bool UpsideDown, Func<SKBitmap, SKBitmap> Make)[]
{
    ("upright", false, b => b.Copy()),
    ("mirrored", false, b => Draw(b, c => { c.Translate(b.Width, 0); c.Scale(-1, 1); })),
    ("rotated 180", true, b => Draw(b, c => c.RotateDegrees(180, b.Width / 2f, b.Height / 2f))),
    ("upside-down mirror", true, b => Draw(b, c => { c.Translate(0, b.Height); c.Scale(1, -1); })),
};

var rows = new List<(string Variant, bool UpsideDown, float Margin, float UprightNorm, float TurnedNorm)>();
var lookTimes = new List<double>();
Console.WriteLine("photo\tvariant\tmargin\tnorm upright reading\tnorm turned reading");
foreach (var path in photos)
{
    using var original = SKBitmap.Decode(path);
    foreach (var (name, upsideDown, make) in variants)
    {
        using var variant = make(original);
        var image = engine.Decoder.Decode(variant.Encode(SKEncodedImageFormat.Jpeg, 92).ToArray());
        var faces = engine.Detector.Detect(image).OrderByDescending(f => f.Box.Area).ToList();
        if (faces.Count == 0)
        {
            continue;
        }

        var face = faces[0];

        var measured = engine.Quality.Measure(image, face.Box);
        if (measured.Brightness < engine.Quality.Options.MinBrightness || measured.Sharpness < engine.Quality.Options.MinSharpness
            || engine.Detector.LookUpsideDown(image, face) is not { } look)
        {
            continue;
        }

        var start = Stopwatch.GetTimestamp();
        var uprightNorm = engine.Recognizer.Strength(image, engine.Landmarker.Locate(image, face));
        var turnedNorm = engine.Recognizer.Strength(image, engine.Landmarker.Locate(image, look.Turned));
        lookTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        rows.Add((name, upsideDown, look.Margin, uprightNorm, turnedNorm));
        Console.WriteLine(FormattableString.Invariant($"{Path.GetFileName(path)}\t{name}\t{look.Margin:F3}\t{uprightNorm:F2}\t{turnedNorm:F2}"));
    }
}

var margin = new BlazeFaceDetectorOptions("-").UpsideDownMargin;
Console.WriteLine();
Console.WriteLine($"| variant | turned look found a face | detector: upright (margin < −{margin}) | detector: upside down (margin > {margin}) | undecided | of those, norm alone says upside down | wrong: detector | wrong: norm alone on undecided | wrong: norm ratio − 1 + margin on undecided (the engine's rule) | closest call of the engine's rule |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, upsideDown, _) in variants)
{
    var s = rows.Where(r => r.Variant == name).ToList();
    var undecided = s.Where(r => Math.Abs(r.Margin) <= margin).ToList();
    var detectorWrong = s.Count(r => upsideDown ? r.Margin < -margin : r.Margin > margin);
    var normUpsideDown = undecided.Count(r => r.TurnedNorm > r.UprightNorm);
    // FaceAnalyzer.IsUpsideDown: the norm ratio and the detector's margin added up.
    var evidence = undecided.Select(r => r.TurnedNorm / r.UprightNorm - 1 + r.Margin).ToList();
    var ruleWrong = evidence.Count(e => upsideDown ? e <= 0 : e > 0);
    var closest = evidence.Count == 0 ? "—" : (upsideDown ? evidence.Min() : evidence.Max()).ToString("+0.000;−0.000", System.Globalization.CultureInfo.InvariantCulture);
    Console.WriteLine($"| {name} | {s.Count} | {s.Count(r => r.Margin < -margin)} | {s.Count(r => r.Margin > margin)} | {undecided.Count} | {normUpsideDown} | {detectorWrong} | {(upsideDown ? undecided.Count - normUpsideDown : normUpsideDown)} | {ruleWrong} | {closest} |");
}

lookTimes.Sort();
Console.WriteLine(FormattableString.Invariant($"the recogniser's look (2 × landmarks + 2 × chip): p50 {lookTimes[lookTimes.Count / 2]:F1} ms, p90 {lookTimes[lookTimes.Count * 9 / 10]:F1} ms over {lookTimes.Count}"));

static SKBitmap Draw(SKBitmap source, Action<SKCanvas> transform)
{
    var target = new SKBitmap(source.Width, source.Height);
    using var canvas = new SKCanvas(target);
    transform(canvas);
    using var image = SKImage.FromBitmap(source);
    canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
    return target;
}
