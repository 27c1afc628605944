using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// Cuts a burst from a presentation's timeline the way the page captures one (<see cref="LivenessBurstShape"/>): a capture
/// every <see cref="LivenessBurstShape.FrameIntervalMs"/> from the burst's start, the look phase, then each step for
/// <see cref="LivenessBurstShape.StepMs"/>. Steps without times are shown at the page's own times (the look phase's end, then
/// one step after another); timed steps are shown when the manifest says, and the burst lasts until the last one's step ends.
/// </summary>
public static class PadBurstCutter
{
    /// <param name="start">The timeline's second where the burst begins (<see cref="PadManifestRow.StartSeconds"/>), or null.</param>
    public static LivenessBurst Cut(IPadFrameSource timeline, PadChallengeSpec challenge, double? start, LivenessBurstShape shape)
    {
        int[] shownAtMs;
        double startSeconds;
        if (challenge.ShownAtSeconds is { } times)
        {
            startSeconds = start ?? Math.Max(0, times[0] - (shape.LookMs / 1000.0));
            shownAtMs = [.. times.Select(t => (int)Math.Round((t - startSeconds) * 1000))];
        }
        else
        {
            startSeconds = start ?? 0;
            shownAtMs = [.. challenge.Steps.Select((_, i) => shape.LookMs + (i * shape.StepMs))];
        }

        var endMs = shownAtMs[^1] + shape.StepMs;
        var frames = new List<LivenessFrame>();
        for (var k = 0; k * shape.FrameIntervalMs < endMs; k++)
        {
            var atMs = k * shape.FrameIntervalMs;
            var seconds = startSeconds + (atMs / 1000.0);
            if (seconds > timeline.DurationSeconds)
            {
                break; // the clip ended: the burst is as short as it is, and the judge says what it makes of that
            }

            frames.Add(new LivenessFrame(timeline.FrameAt(seconds, k), atMs));
        }

        return new LivenessBurst(challenge.Steps, shownAtMs, frames);
    }

    /// <summary>The capture a door asking for a single photo would get: the last one of the look phase.</summary>
    public static int PhotoCapture(LivenessBurst burst) =>
        Math.Max(0, burst.Frames.Count(f => f.CapturedAtMs < burst.StepShownAtMs[0]) - 1);

    /// <summary>The challenge as judged, with each step's time after the burst's start: <c>TurnLeft@0.8,TurnRight@2</c>.</summary>
    public static string Describe(LivenessBurst burst) =>
        new PadChallengeSpec(burst.Steps, [.. burst.StepShownAtMs.Select(ms => ms / 1000.0)]).ToString();
}
