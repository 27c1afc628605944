#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// What the local engine reports for turned and darkened lfw-dev photos: detection, roll, brightness, whether the one
// admission policy refuses the face (sign-in's default thresholds, which registration applies at least as strictly), and
// whether the largest face still matches the upright photo's at the sign-in threshold (the duplicate check's question):
// a face the policy lets through must match, or it would register a second account.
// Run from the repository root (after a build, which prepares the models); results in docs/engine.md, "Upside-down faces":
//   dotnet run tools/orientation-probe/probe.cs -- /work/shared/datasets/lfw-dev 200
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;
using SkiaSharp;

var dataset = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("FACELOGIN_DATASET") ?? throw new ArgumentException("dataset folder?");
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
var policy = new FaceAdmissionPolicy(new AuthenticationOptions().Quality, DominantFaceRule.Default);
var photos = Directory.EnumerateDirectories(dataset).Order(StringComparer.Ordinal)
    .Select(d => Directory.EnumerateFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault())
    .OfType<string>().Take(count).ToList();

var variants = new (string Name, Func<SKBitmap, SKBitmap> Make)[]
{
    ("upright", b => b.Copy()),
    ("mirrored", b => Draw(b, b.Width, b.Height, c => { c.Translate(b.Width, 0); c.Scale(-1, 1); })),
    ("rotated 90", b => Draw(b, b.Height, b.Width, c => { c.Translate(b.Height, 0); c.RotateDegrees(90); })),
    ("rotated 180", b => Draw(b, b.Width, b.Height, c => c.RotateDegrees(180, b.Width / 2f, b.Height / 2f))),
    ("rotated 270", b => Draw(b, b.Height, b.Width, c => { c.Translate(0, b.Width); c.RotateDegrees(270); })),
    ("upside-down mirror", b => Draw(b, b.Width, b.Height, c => { c.Translate(0, b.Height); c.Scale(1, -1); })),
    ("exposure 20 %", b => Exposure(b, 0.20f)),
    ("exposure 12 %", b => Exposure(b, 0.12f)),
    ("exposure 8 %", b => Exposure(b, 0.08f)),
};

var stats = variants.ToDictionary(v => v.Name, _ => new List<(bool Found, float Roll, float Brightness, bool Matches, bool EngineIssue, FaceAdmission Admission)>());
foreach (var path in photos)
{
    using var original = SKBitmap.Decode(path);
    var upright = Largest(Jpeg(original));
    if (upright?.Embedding is null)
    {
        continue;
    }

    foreach (var (name, make) in variants)
    {
        using var variant = make(original);
        var analysis = engine.Analyzer.Analyze(Jpeg(variant), EmbedFaces.Largest, CancellationToken.None);
        var admission = policy.Admit([.. analysis.Faces.Select(f => f.Detail)]);
        if (analysis.Faces.Count == 0)
        {
            stats[name].Add((false, 0, 0, false, false, admission));
            continue;
        }

        var face = analysis.Faces[0];

        var cosine = face.Embedding!.Zip(upright.Embedding, (x, y) => x * y).Sum();
        stats[name].Add((true, face.Detail.Pose.Roll, face.Detail.Quality.Brightness,
            engine.Scale.ToScore(cosine) >= SimilarityScale.DefaultMatchThreshold, face.QualityIssues.Count > 0, admission));
    }
}

Console.WriteLine($"{stats["upright"].Count} lfw-dev photos (first of each of the first {count} people, upright face found)");
Console.WriteLine("| variant | face found | \\|roll\\| min / median / max | brightness median | matches the upright photo (≥ 80) | engine's own quality issue | policy: sideways or upside down | policy: other refusal | policy: usable | usable but matching nobody |");
Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, _) in variants)
{
    var s = stats[name];
    var found = s.Where(x => x.Found).ToList();
    var rolls = found.Select(x => Math.Abs(x.Roll)).Order().ToList();
    var bright = found.Select(x => x.Brightness).Order().ToList();
    string Median(List<float> v) => v.Count == 0 ? "—" : v[v.Count / 2].ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    Console.WriteLine($"| {name} | {found.Count} / {s.Count} | {(rolls.Count == 0 ? "—" : $"{rolls[0]:F0} / {Median(rolls)} / {rolls[^1]:F0}")} | {Median(bright)} | {found.Count(x => x.Matches)} | {found.Count(x => x.EngineIssue)} | {found.Count(x => x.Admission.Reasons.Contains(UnindexedReason.RotatedFace))} | {found.Count(x => !x.Admission.IsUsable && !x.Admission.Reasons.Contains(UnindexedReason.RotatedFace))} | {found.Count(x => x.Admission.IsUsable)} | {found.Count(x => x.Admission.IsUsable && !x.Matches)} |");
}

AnalyzedFace? Largest(byte[] jpeg)
{
    var analysis = engine.Analyzer.Analyze(jpeg, EmbedFaces.Largest, CancellationToken.None);
    return analysis.Faces.Count == 0 ? null : analysis.Faces[0];
}

static SKBitmap Draw(SKBitmap source, int width, int height, Action<SKCanvas> transform)
{
    var target = new SKBitmap(width, height);
    using var canvas = new SKCanvas(target);
    transform(canvas);
    using var image = SKImage.FromBitmap(source);
    canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
    return target;
}

static SKBitmap Exposure(SKBitmap source, float factor)
{
    var target = source.Copy();
    for (var y = 0; y < target.Height; y++)
    {
        for (var x = 0; x < target.Width; x++)
        {
            var c = target.GetPixel(x, y);
            target.SetPixel(x, y, new SKColor((byte)(c.Red * factor), (byte)(c.Green * factor), (byte)(c.Blue * factor)));
        }
    }

    return target;
}

static byte[] Jpeg(SKBitmap bitmap) => bitmap.Encode(SKEncodedImageFormat.Jpeg, 92).ToArray();
