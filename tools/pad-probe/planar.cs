#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// The planar-motion residual (FaceLogin.Domain/Faces/Liveness/PlanarMotionCheck) on real clips and on synthetic prints:
// per clip, the most frontal frame (least |yaw|) paired with every frame turned by at least 15° (and 25°), and with the
// other near-frontal frames (|yaw| < 5°, the landmarks' own jitter); per lfw-dev photo, the photo against itself warped by a
// random perspective, as a hand-held print tilted before the camera would be. Frames come from Debian's ffmpeg at 10 fps,
// the warps from ImageMagick's convert; both must be on PATH.
// Run from the repository root (after a build, which prepares the models); results in docs/liveness.md, "Planar motion":
//   dotnet run tools/pad-probe/planar.cs -- /work/shared/datasets/pad-dev /work/shared/datasets/lfw-dev 40
using System.Diagnostics;
using System.Globalization;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;

var padDev = args.Length > 0 ? args[0] : throw new ArgumentException("pad-dev folder?");
var lfwDev = args.Length > 1 ? args[1] : throw new ArgumentException("lfw-dev folder?");
var printCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
var work = Directory.CreateTempSubdirectory("pad-planar-");
using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
var check = new PlanarMotionCheck();

Console.WriteLine("| clip | frames with a face | frontal frame \\|yaw\\| | pairs | residual min / median / max |");
Console.WriteLine("|---|---:|---:|---|---|");
foreach (var clip in new[] { "tvl/real.mp4", "tvl/fake.mp4", "zub/real.mov", "zub/fake.mp4" })
{
    var frames = Path.Combine(work.FullName, clip.Replace('/', '_'));
    Directory.CreateDirectory(frames);
    Run("ffmpeg", "-loglevel", "error", "-i", Path.Combine(padDev, clip), "-vf", "fps=10", Path.Combine(frames, "%04d.png"));
    var seen = Directory.EnumerateFiles(frames, "*.png").Order(StringComparer.Ordinal)
        .Select(f => Look(File.ReadAllBytes(f))).OfType<(FaceShape Shape, FacePose Pose)>().ToList();
    var frontal = seen.MinBy(s => Math.Abs(s.Pose.Yaw));
    foreach (var (name, keep) in new (string, Func<FacePose, bool>)[]
    {
        ("\\|yaw\\| < 5° (jitter)", p => Math.Abs(p.Yaw) < 5),
        ("\\|yaw\\| ≥ 15°", p => Math.Abs(p.Yaw) >= 15),
        ("\\|yaw\\| ≥ 25°", p => Math.Abs(p.Yaw) >= 25),
    })
    {
        var residuals = seen.Where(s => !ReferenceEquals(s.Shape.Points, frontal.Shape.Points) && keep(s.Pose))
            .Select(s => check.Residual(frontal.Shape, s.Shape)).ToList();
        Console.WriteLine($"| {clip} | {seen.Count} | {Math.Abs(frontal.Pose.Yaw):F0}° | {residuals.Count} with {name} | {Spread(residuals)} |");
    }
}

var random = new Random(10);
var prints = new List<double>();
foreach (var photo in Directory.EnumerateDirectories(lfwDev).Order(StringComparer.Ordinal)
    .Select(d => Directory.EnumerateFiles(d, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault()).OfType<string>().Take(printCount))
{
    var warped = Path.Combine(work.FullName, "print-" + Path.GetFileName(photo));
    Run("convert", photo, "-virtual-pixel", "edge", "-distort", "Perspective", RandomTilt(250, 250), warped);
    if (Look(File.ReadAllBytes(photo)) is { } original && Look(File.ReadAllBytes(warped)) is { } tilted)
    {
        prints.Add(check.Residual(original.Shape, tilted.Shape));
    }
}

Console.WriteLine($"| lfw-dev photo vs the same photo tilted in perspective (synthetic print) | {prints.Count} of {printCount} | — | {prints.Count} pairs | {Spread(prints)} |");
work.Delete(recursive: true);

// The largest face's 68 landmarks and the engine's pose for it (the analyser's own, so the yaw is the one the doors see).
(FaceShape Shape, FacePose Pose)? Look(byte[] bytes)
{
    var image = engine.Decoder.Decode(bytes);
    var faces = engine.Detector.Detect(image);
    if (faces.Count == 0)
    {
        return null;
    }

    var shape = engine.Landmarker.Locate(image, faces.MaxBy(f => f.Box.Area));
    var analysis = engine.Analyzer.Analyze(bytes, EmbedFaces.None, CancellationToken.None);
    return analysis.Faces.Count == 0 ? null : (shape, analysis.Faces[0].Detail.Pose);
}

// Moves each corner inwards by up to a fifth of the side, the two of one side more than the other's: the picture turned
// about 20–35° and seen in perspective.
string RandomTilt(int width, int height)
{
    double Inset(int side) => side * (0.05 + 0.15 * random.NextDouble());
    var left = random.Next(2) == 0;
    var (near, far) = left ? (0.3, 1.0) : (1.0, 0.3);
    var corners = new[]
    {
        (0.0, 0.0, Inset(width) * near, Inset(height) * near),
        (width, 0.0, width - Inset(width) * far, Inset(height) * far),
        (width, height, width - Inset(width) * far, height - Inset(height) * far),
        (0.0, height, Inset(width) * near, height - Inset(height) * near),
    };
    return string.Join(' ', corners.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Item1:F0},{c.Item2:F0} {c.Item3:F1},{c.Item4:F1}")));
}

static string Spread(List<double> values)
{
    if (values.Count == 0)
    {
        return "—";
    }

    values.Sort();
    return string.Create(CultureInfo.InvariantCulture, $"{values[0]:F3} / {values[values.Count / 2]:F3} / {values[^1]:F3}");
}

static void Run(string program, params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} failed: {errors}");
    }
}
