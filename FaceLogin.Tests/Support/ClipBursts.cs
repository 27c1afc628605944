using System.Diagnostics;
using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Tests.Support;

/// <summary>
/// Bursts cut from pad-dev's clips with Debian's ffmpeg, as the page would capture them: a frame every
/// <see cref="FrameIntervalMs"/>, shrunk to 480 pixels, JPEG. The clips' people turn slowly (3 s per turn), so a burst is
/// edited from real footage: segments of the clip placed at the page's times (the look phase, then each step).
/// </summary>
public static class ClipBursts
{
    public const int FrameIntervalMs = 230;

    /// <param name="ClipStartSeconds">Where in the clip the segment starts.</param>
    /// <param name="DurationMs">How long it plays in the burst.</param>
    /// <param name="BurstOffsetMs">When in the burst it starts (the page's time of the phase it stands for).</param>
    public sealed record Segment(double ClipStartSeconds, int DurationMs, int BurstOffsetMs);

    /// <summary>The frames of the segments, in order, each stamped with its time in the burst.</summary>
    public static List<LivenessFrame> Cut(string clipRelativePath, params Segment[] segments)
    {
        var clip = Path.Combine(PadDevDataset.Path, clipRelativePath);
        PadDevDataset.Read(clipRelativePath); // skips (fails in CI) when the set is absent
        var work = Directory.CreateTempSubdirectory("facelogin-burst-");
        try
        {
            var frames = new List<LivenessFrame>();
            foreach (var (segment, index) in segments.Select((s, i) => (s, i)))
            {
                var folder = Directory.CreateDirectory(Path.Combine(work.FullName, index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Ffmpeg("-loglevel", "error", "-ss", Seconds(segment.ClipStartSeconds), "-i", clip, "-t", Seconds(segment.DurationMs / 1000.0),
                    "-vf", $"fps=1000/{FrameIntervalMs},scale='if(gt(iw,ih),480,-2)':'if(gt(iw,ih),-2,480)'", "-q:v", "4",
                    Path.Combine(folder.FullName, "%03d.jpg"));
                frames.AddRange(Directory.EnumerateFiles(folder.FullName, "*.jpg").Order(StringComparer.Ordinal)
                    .Select((file, k) => new LivenessFrame(File.ReadAllBytes(file), segment.BurstOffsetMs + (k * FrameIntervalMs)))
                    .Where(f => f.CapturedAtMs < segment.BurstOffsetMs + segment.DurationMs));
            }

            return frames;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Seconds(double seconds) => seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    private static void Ffmpeg(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("ffmpeg could not be started.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {errors}");
    }
}
