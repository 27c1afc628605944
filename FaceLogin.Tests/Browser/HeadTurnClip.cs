using System.Diagnostics;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// Webcam clips for Chromium's fake camera cut from pad-dev's <c>tvl/real.mp4</c> (a real person turning his head; 368×656
/// portrait, 30 fps) with Debian's ffmpeg: segments concatenated, scaled into a 640×480 frame on a grey backdrop, at
/// <see cref="FramesPerSecond"/>, as a Y4M. Each frame carries its index in the clip as eight black/white squares down the
/// left edge (far outside the face and its passive-score crop), so that a test reads where the looping clip is from the
/// picture itself and starts the burst at the right point (<see cref="StartBurstScript"/>).
/// </summary>
/// <remarks>
/// Yaw trace of tvl/real.mp4 (10 fps, measured by the judge's analyzer): frontal 0–1.7 s; turned to yaw +50 (the person's
/// left) 1.8–5.4 s; frontal again by 5.8 s; turned to yaw −17…−35 (right) 7.3–10.4 s; frontal from 10.6 s.
/// </remarks>
internal static class HeadTurnClip
{
    public const int Width = 640;
    public const int Height = 480;
    public const int FramesPerSecond = 15;

    /// <summary>Frontal 1.6 s, left 1.6 s, back 0.6 s, right 1.6 s, frontal 1.4 s: 6.8 s, then the camera loops to the start.</summary>
    public static readonly Segment[] LeftThenRight = [new(0.0, 1.6), new(1.8, 3.4), new(5.2, 5.8), new(7.3, 8.9), new(10.6, 12.0)];

    /// <summary>The same real footage with the turns swapped (right first), at the same clip times: a recording answering the wrong challenge.</summary>
    /// <remarks>The left turn is held to the end of its segment, so the loop ends on the frontal lead again (the look phase that follows
    /// the loop's end must see a frontal face, or the burst would be refused for that rather than for the order).</remarks>
    public static readonly Segment[] RightThenLeft = [new(0.0, 1.6), new(7.3, 8.9), new(10.4, 11.0), new(1.8, 3.4), new(0.1, 1.5)];

    /// <summary>
    /// tvl/fake.mp4 — the same footage played on a laptop screen and filmed again (a screen replay), which runs about 2.65 s
    /// behind tvl/real.mp4 — cut to the same shape and clip times as <see cref="LeftThenRight"/>: a replay that follows the
    /// fixed challenge, which only the passive score can tell from the person.
    /// </summary>
    public static readonly Segment[] ReplayLeftThenRight =
        [new(2.1, 3.7, Replay), new(4.45, 6.05, Replay), new(7.85, 8.45, Replay), new(9.95, 11.55, Replay), new(2.1, 3.5, Replay)];

    public const string Source = "tvl/real.mp4";

    public const string Replay = "tvl/fake.mp4";

    /// <summary>One moment of the clip, frozen: a photo of the person held still in front of the camera.</summary>
    public static Segment[] Still(double at) => [new(at, at + (1.0 / FramesPerSecond))];

    /// <summary>Writes the clip as a Y4M at <paramref name="outputPath"/>, with the frame-index marker unless <paramref name="marked"/> is false.</summary>
    public static string Write(IReadOnlyList<Segment> segments, string outputPath, bool marked = true)
    {
        var raw = outputPath + ".yuv";
        // One input per segment, each read from its start for its length: trims of one shared input taken out of order make
        // ffmpeg decode the file again and again (a 6.8 s cut came out 24 s long).
        RunFfmpeg([.. segments.SelectMany(s => new[] { "-ss", Seconds(s.Start), "-t", Seconds(s.End - s.Start), "-i", PadDevDataset.PathOf(s.Clip) }),
            "-filter_complex", Filter(segments), "-map", "[out]", "-f", "rawvideo", raw]);
        try
        {
            var frameBytes = Width * Height * 3 / 2;
            var frames = File.ReadAllBytes(raw);
            using var output = File.Create(outputPath);
            output.Write(System.Text.Encoding.ASCII.GetBytes(Header));
            for (var index = 0; index < frames.Length / frameBytes; index++)
            {
                var frame = frames.AsSpan(index * frameBytes, frameBytes);
                if (marked)
                {
                    Mark(frame, index);
                }

                output.Write("FRAME\n"u8);
                output.Write(frame);
            }
        }
        finally
        {
            File.Delete(raw);
        }

        return outputPath;
    }

    /// <summary>A frontal frame of the clip as a JPEG, framed as the camera frames it: the photo to register the person with.</summary>
    public static byte[] FrontalPhoto(string workFolder, double at = 0.8)
    {
        var path = Path.Combine(workFolder, $"frontal-{at:0.00}.jpg");
        RunFfmpeg(["-ss", at.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), "-i", PadDevDataset.PathOf(Source), "-frames:v", "1",
            "-vf", Framing, "-q:v", "3", path]);
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// A script for <c>page.EvaluateAsync</c>: reads the clip's frame index off the video in the page and, the moment it is in
    /// [from, to), clicks the button (in the page, so no round trip to the test lies between them). Resolves with the index.
    /// </summary>
    public const string StartBurstScript = """
        async ({ video, button, from, to, timeoutMs }) => {
          const v = document.querySelector(video);
          const canvas = document.createElement('canvas');
          canvas.width = 32;
          canvas.height = 256;
          const context = canvas.getContext('2d', { willReadFrequently: true });
          const frameIndex = () => {
            context.drawImage(v, 0, 0, 32, 256, 0, 0, 32, 256);
            let index = 0;
            for (let bit = 0; bit < 8; bit++) {
              if (context.getImageData(16, 8 + bit * 30 + 12, 1, 1).data[0] > 128) {
                index |= 1 << bit;
              }
            }
            return index;
          };
          const deadline = performance.now() + timeoutMs;
          for (;;) {
            const index = frameIndex();
            if (index >= from && index < to) {
              document.querySelector(button).click();
              return index;
            }
            if (performance.now() > deadline) {
              throw new Error('The clip never showed frames ' + from + '..' + to + ' (last ' + index + ').');
            }
            await new Promise(resolve => setTimeout(resolve, 5));
          }
        }
        """;

    /// <summary>The clip's length in frames, read from its file (ffmpeg's trims may give a frame more or less than the seconds say).</summary>
    public static int FrameCountOf(string y4mPath) =>
        (int)((new FileInfo(y4mPath).Length - Header.Length) / ("FRAME\n".Length + (Width * Height * 3 / 2)));

    private static readonly string Header = $"YUV4MPEG2 W{Width} H{Height} F{FramesPerSecond}:1 Ip A1:1 C420jpeg\n";

    private const string Framing = "scale=-2:480,pad=640:480:(ow-iw)/2:0:color=0x5c626c,format=yuv420p";

    /// <summary>The replay films a laptop from further away: the screen (face and bezel) is cut out so the face is as large as in the selfie.</summary>
    private static string CropOf(string clip) => clip == Replay ? "crop=368:420:0:100," : "";

    private static string Filter(IReadOnlyList<Segment> segments)
    {
        // Each segment scaled into the frame before the concatenation: the two clips differ in size (368×656, 368×640).
        var parts = segments.Select((s, i) => $"[{i}:v]setpts=PTS-STARTPTS,fps={FramesPerSecond},{CropOf(s.Clip)}{Framing},setsar=1[s{i}];");
        var inputs = string.Concat(segments.Select((_, i) => $"[s{i}]"));
        return string.Concat(parts) + $"{inputs}concat=n={segments.Count}:v=1:a=0[out]";
    }

    private static string Seconds(double seconds) => seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bit i of the index as a 24×24 square (white 1, black 0) at x 4, y 8 + 30 i, neutral in colour.</summary>
    private static void Mark(Span<byte> frame, int index)
    {
        var u = frame.Slice(Width * Height, Width * Height / 4);
        var v = frame.Slice((Width * Height) + (Width * Height / 4), Width * Height / 4);
        for (var bit = 0; bit < 8; bit++)
        {
            var luma = (byte)(((index >> bit) & 1) == 1 ? 235 : 16);
            var top = 8 + (bit * 30);
            for (var y = top; y < top + 24; y++)
            {
                frame.Slice((y * Width) + 4, 24).Fill(luma);
                u.Slice((y / 2 * (Width / 2)) + 2, 12).Fill(128);
                v.Slice((y / 2 * (Width / 2)) + 2, 12).Fill(128);
            }
        }
    }

    private static void RunFfmpeg(IReadOnlyList<string> arguments)
    {
        TestServerProcess.RequireTool("ffmpeg", "the liveness browser tests cut their camera clips with Debian's ffmpeg (apt-get install ffmpeg).");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-y" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {errors.Result}");
        }
    }

    /// <summary>A piece of a pad-dev clip (tvl/real.mp4 unless said), in seconds.</summary>
    public sealed record Segment(double Start, double End, string Clip = Source);
}
