using System.ComponentModel;
using System.Diagnostics;
using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>What a camera pointed at a presentation would give at a moment of its timeline: one JPEG frame.</summary>
public interface IPadFrameSource
{
    /// <summary>How long the timeline is; <see cref="double.PositiveInfinity"/> for a still held up for as long as asked.</summary>
    double DurationSeconds { get; }

    /// <param name="seconds">A moment of the timeline, clamped to it.</param>
    /// <param name="captureIndex">Which capture of the burst this is (a held still differs per capture, as a camera's frames do).</param>
    byte[] FrameAt(double seconds, int captureIndex);
}

/// <summary>
/// A clip's frames, extracted once by Debian's <c>ffmpeg</c> at <see cref="FramesPerSecond"/> and shrunk to the page's frame
/// size, as JPEGs in a temporary folder. A burst takes the frame nearest each capture time, as a camera's latest frame is.
/// </summary>
public sealed class ClipFrameSource : IPadFrameSource
{
    /// <summary>Finer than any burst interval (≥ 100 ms) and than the clips' own 15–30 fps steps matter at.</summary>
    public const int FramesPerSecond = 30;

    private readonly string[] _frames;

    private ClipFrameSource(string[] frames) => _frames = frames;

    public double DurationSeconds => _frames.Length / (double)FramesPerSecond;

    /// <exception cref="PadInputException">ffmpeg is missing, or it cannot read the clip.</exception>
    public static ClipFrameSource Extract(string clip, string folder, int maxSide, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        // The longer side becomes maxSide (never enlarged), the other keeps the aspect ratio at an even size.
        var scale = $"scale='if(gt(iw,ih),min({maxSide},iw),-2)':'if(gt(iw,ih),-2,min({maxSide},ih))'";
        Ffmpeg.Run(["-loglevel", "error", "-nostdin", "-i", clip, "-vf", $"fps={FramesPerSecond},{scale}", "-q:v", "3", Path.Combine(folder, "%05d.jpg")], cancellationToken);
        var frames = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        return frames.Length > 0 ? new ClipFrameSource(frames) : throw new PadInputException($"ffmpeg found no frames in {clip}.");
    }

    public byte[] FrameAt(double seconds, int captureIndex) =>
        File.ReadAllBytes(_frames[Math.Clamp((int)Math.Round(seconds * FramesPerSecond), 0, _frames.Length - 1)]);
}

/// <summary>A folder of frames (JPEG or PNG, in name order) captured one <paramref name="intervalMs"/> apart: a burst already made.</summary>
public sealed class FolderFrameSource(string folder, int intervalMs) : IPadFrameSource
{
    private readonly string[] _frames = Directory.GetFiles(folder)
        .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal).ToArray();

    public double DurationSeconds => _frames.Length * intervalMs / 1000.0;

    public int Count => _frames.Length;

    public byte[] FrameAt(double seconds, int captureIndex) =>
        File.ReadAllBytes(_frames[Math.Clamp((int)Math.Round(seconds * 1000 / intervalMs), 0, _frames.Length - 1)]);
}

/// <summary>
/// A still photo held up to the camera, motionless: every capture is the same picture, shrunk to the page's frame size, with a
/// faint sensor noise (±2 levels) of its own and JPEG-encoded, so that no two captures have the same bytes. The distinct-capture
/// check (identical bytes) therefore does not refuse it: what refuses a held still is the challenge, the geometry and the
/// passive score, as it would be before a real camera.
/// </summary>
public sealed class HeldStillFrameSource : IPadFrameSource
{
    private readonly byte[] _rgba;
    private readonly SKImageInfo _info;

    public HeldStillFrameSource(byte[] photo, int maxSide)
    {
        using var decoded = SKBitmap.Decode(photo) ?? throw new PadInputException("The still cannot be decoded as an image.");
        var factor = Math.Min(1.0, maxSide / (double)Math.Max(decoded.Width, decoded.Height));
        _info = new SKImageInfo(Math.Max(1, (int)Math.Round(decoded.Width * factor)), Math.Max(1, (int)Math.Round(decoded.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var resized = decoded.Resize(_info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new PadInputException("The still cannot be resized.");
        _rgba = resized.Bytes;
    }

    public double DurationSeconds => double.PositiveInfinity;

    public byte[] FrameAt(double seconds, int captureIndex)
    {
        var pixels = (byte[])_rgba.Clone();
        var random = new Random(captureIndex + 1);
        for (var i = 0; i < pixels.Length; i += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + random.Next(-2, 3), 0, 255);
            }
        }

        return PadImages.EncodeJpeg(pixels, _info, 90);
    }
}

/// <summary>A source seen through an edit: its <see cref="ClipSegment"/>s played one after the other.</summary>
public sealed class EditedFrameSource(IPadFrameSource source, IReadOnlyList<ClipSegment> segments) : IPadFrameSource
{
    public double DurationSeconds => segments.Sum(s => s.Length);

    public byte[] FrameAt(double seconds, int captureIndex)
    {
        var left = seconds;
        foreach (var segment in segments)
        {
            if (left < segment.Length)
            {
                return source.FrameAt(segment.From + left, captureIndex);
            }

            left -= segment.Length;
        }

        return source.FrameAt(segments[^1].To, captureIndex);
    }
}

/// <summary>Runs Debian's ffmpeg, with a message that says what to install when it is missing.</summary>
internal static class Ffmpeg
{
    public static void Run(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PadInputException("ffmpeg could not be started.");
        }
        catch (Win32Exception)
        {
            throw new PadInputException("ffmpeg is not on PATH: clips need it to be cut into frames (Debian: apt-get install ffmpeg).");
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                throw new PadInputException($"ffmpeg failed ({process.ExitCode}): {errors.GetAwaiter().GetResult().Trim()}");
            }
        }
    }
}

/// <summary>Bad input to the PAD evaluation (a missing file, a clip ffmpeg cannot read): the message says which.</summary>
public sealed class PadInputException(string message) : Exception(message);
