#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false
// The yaw trace of pad-dev's clips, as the liveness judge sees it (the analyser's pose of the largest face), at 10 fps on
// frames shrunk to the page's 480 px: what the segments of tools/pad-eval/pad-dev.manifest.tsv were chosen from.
// Run from the repository root after a build:
//   dotnet run tools/pad-probe/yaw.cs -- /work/shared/datasets/pad-dev tvl/real.mp4 tvl/fake.mp4 zub/real.mov zub/fake.mp4
using System.Diagnostics;
using System.Globalization;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;

var padDev = args.Length > 0 ? args[0] : throw new ArgumentException("pad-dev folder?");
using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions());
var work = Directory.CreateTempSubdirectory("pad-yaw-");
foreach (var clip in args.Skip(1))
{
    var frames = Path.Combine(work.FullName, clip.Replace('/', '_'));
    Directory.CreateDirectory(frames);
    using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-loglevel", "error", "-i", Path.Combine(padDev, clip), "-vf",
        "fps=10,scale='if(gt(iw,ih),480,-2)':'if(gt(iw,ih),-2,480)'", "-q:v", "3", Path.Combine(frames, "%04d.jpg")]))!)
    {
        ffmpeg.WaitForExit();
    }

    Console.WriteLine($"# {clip}: t (s), yaw, pitch (°) of the largest face; '-' without a face");
    var line = new List<string>();
    foreach (var (file, i) in Directory.EnumerateFiles(frames, "*.jpg").Order(StringComparer.Ordinal).Select((f, i) => (f, i)))
    {
        var analysis = engine.Analyzer.Analyze(File.ReadAllBytes(file), EmbedFaces.None, CancellationToken.None);
        var text = analysis.Faces.Count == 0 ? "-" : analysis.Faces[0].Detail.Pose.Yaw.ToString("0", CultureInfo.InvariantCulture);
        line.Add(string.Create(CultureInfo.InvariantCulture, $"{i / 10.0:0.0}:{text}"));
        if (line.Count == 10)
        {
            Console.WriteLine(string.Join("  ", line));
            line.Clear();
        }
    }

    Console.WriteLine(string.Join("  ", line));
}

work.Delete(recursive: true);
