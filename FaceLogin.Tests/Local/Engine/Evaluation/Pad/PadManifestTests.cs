using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine.Evaluation.Pad;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Evaluation.Pad;

/// <summary>The manifest's syntax and how a burst is cut from a presentation's timeline at the page's timing.</summary>
public sealed class PadManifestTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Rows_read_their_challenge_start_and_segments_and_comments_are_skipped()
    {
        var rows = Read(
            "# a comment",
            "path\tlabel\tchallenge\tstart\tsegments",
            "a.mp4\tbona_fide\tTurnLeft@2.0,TurnRight@3.25\t1.5\t",
            "b.mp4\tscreen_video\tTurnRight,TurnLeft\t\t0-0.8,6.9-8.1",
            "c.jpg\tprint\t\t\t");

        Assert.Equal(3, rows.Count);
        Assert.True(rows[0].IsBonaFide);
        Assert.Equal([HeadMovement.TurnLeft, HeadMovement.TurnRight], rows[0].Challenge!.Steps);
        Assert.Equal([2.0, 3.25], rows[0].Challenge!.ShownAtSeconds!);
        Assert.Equal(1.5, rows[0].StartSeconds);
        Assert.Null(rows[1].Challenge!.ShownAtSeconds);
        Assert.Equal([new ClipSegment(0, 0.8), new ClipSegment(6.9, 8.1)], rows[1].Segments);
        Assert.Null(rows[2].Challenge);
        Assert.False(rows[2].IsBonaFide);
    }

    [Theory]
    [InlineData("a.mp4\tbona_fide\tTurnUp", "challenge step 'TurnUp'")]
    [InlineData("a.mp4\tbona_fide\tTurnLeft@1,TurnRight", "all or none")]
    [InlineData("a.mp4\tbona_fide\t\tsoon", "start 'soon'")]
    [InlineData("a.mp4\tbona_fide\t\t\t2-1", "ends before it begins")]
    [InlineData("\tbona_fide", "the path is empty")]
    public void A_bad_cell_is_refused_with_its_line(string row, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("path\tlabel\tchallenge\tstart\tsegments", row));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_burst_at_the_pages_timing_has_a_look_phase_then_each_step_and_a_capture_every_interval()
    {
        var shape = new LivenessBurstShape();
        var timeline = new CountingSource();

        var two = PadBurstCutter.Cut(timeline, new PadChallengeSpec([HeadMovement.TurnLeft, HeadMovement.TurnRight], null), 1.0, shape);
        var three = PadBurstCutter.Cut(timeline, PadChallengeSpec.EveryIssuable[2], null, shape);

        Assert.Equal([800, 2000], two.StepShownAtMs);
        Assert.Equal(14, two.Frames.Count); // 0 … 2990 ms, before 3200
        Assert.Equal(Enumerable.Range(0, 14).Select(k => k * 230), two.Frames.Select(f => f.CapturedAtMs));
        Assert.Equal("1.000", System.Text.Encoding.ASCII.GetString(two.Frames[0].Image.Span)); // from the start given
        Assert.Equal("3.990", System.Text.Encoding.ASCII.GetString(two.Frames[^1].Image.Span));
        Assert.Equal(20, three.Frames.Count); // 0 … 4370 ms, before 4400
        Assert.Equal(3, PadBurstCutter.PhotoCapture(two)); // 690 ms: the look phase's last capture
        Assert.Equal("TurnLeft@0.8,TurnRight@2", PadBurstCutter.Describe(two));
    }

    [Fact]
    public void Timed_steps_are_shown_when_the_manifest_says_and_an_edit_plays_its_segments_in_order()
    {
        var shape = new LivenessBurstShape();
        var edited = new EditedFrameSource(new CountingSource(), [new ClipSegment(5, 5.8), new ClipSegment(1, 3)]);

        var burst = PadBurstCutter.Cut(edited, PadChallengeSpec.Parse("TurnLeft@1.0,TurnRight@2.5", "test"), null, shape);

        Assert.Equal([800, 2300], burst.StepShownAtMs); // the look phase before the first step: the burst starts at 0.2 s
        Assert.Equal(2.8, edited.DurationSeconds, 9);
        Assert.Equal("5.200", Text(burst.Frames[0])); // timeline 0.2 s: the first segment
        Assert.Equal("1.320", Text(burst.Frames[4])); // timeline 0.2 + 0.92 = 1.12 s: 0.32 s into the second segment
        Assert.Equal(12, burst.Frames.Count); // the timeline ends at 2.8 s (0.2 + 11 × 0.23), before the second step ends
    }

    private static string Text(LivenessFrame frame) => System.Text.Encoding.ASCII.GetString(frame.Image.Span);

    private IReadOnlyList<PadManifestRow> Read(params string[] lines)
    {
        var path = _folder.Combine(PadManifest.FileName);
        File.WriteAllLines(path, lines);
        return PadManifest.Read(path);
    }

    /// <summary>A timeline whose frame says the second it was taken at (ten seconds long).</summary>
    private sealed class CountingSource : IPadFrameSource
    {
        public double DurationSeconds => 10;

        public byte[] FrameAt(double seconds, int captureIndex) =>
            System.Text.Encoding.ASCII.GetBytes(seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
    }
}
