using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// Judges every presentation of a manifest with the product's <see cref="LivenessJudge"/>: each as bursts the page would
/// capture (every check run, the passive score included, so that the per-check parts and both burst modes come from one run),
/// and the look phase's last capture as the single photo a passive door gets. A presentation without a challenge is judged
/// against every challenge the server can issue; a bona fide still only as a photo (a still cannot answer a challenge).
/// </summary>
public sealed class PadEvaluation(LivenessJudge judge)
{
    private static readonly string[] StillExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <param name="Results">One per burst judged, or per bona fide still.</param>
    /// <param name="JudgeStillMs">Server time of each photo's <see cref="LivenessJudge.JudgeStill"/>.</param>
    public sealed record Run(IReadOnlyList<PadPresentationResult> Results, IReadOnlyList<double> JudgeStillMs);

    /// <exception cref="PadInputException">A path that does not exist, a clip ffmpeg cannot read, segments on a still.</exception>
    public Run Judge(string datasetDirectory, IReadOnlyList<PadManifestRow> rows, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var shape = judge.Options.Burst;
        var work = Directory.CreateTempSubdirectory("facelogin-pad-");
        try
        {
            var sources = new Dictionary<string, (IPadFrameSource Source, string Kind)>(StringComparer.Ordinal);
            var results = new List<PadPresentationResult>();
            var stillMs = new List<double>();
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var path = Path.GetFullPath(Path.Combine(datasetDirectory, row.Path));
                if (!sources.TryGetValue(path, out var opened))
                {
                    opened = Open(path, row, work.FullName, sources.Count, shape, cancellationToken);
                    sources[path] = opened;
                }

                if (opened.Kind == "still" && row.Segments.Count > 0)
                {
                    throw new PadInputException($"{row.Path}: segments apply to clips and frame folders, not to a still.");
                }

                if (opened.Kind == "still" && row.IsBonaFide)
                {
                    var photo = JudgePhoto(File.ReadAllBytes(path), stillMs, cancellationToken);
                    results.Add(new PadPresentationResult(row.Path, row.Label, opened.Kind, "", 0, 1, null, photo, null));
                }
                else
                {
                    var timeline = row.Segments.Count > 0 ? new EditedFrameSource(opened.Source, row.Segments) : opened.Source;
                    foreach (var challenge in row.Challenge is { } given ? [given] : PadChallengeSpec.EveryIssuable)
                    {
                        results.Add(JudgeBurst(row, opened.Kind, timeline, challenge, shape, stillMs, cancellationToken));
                    }
                }

                progress?.Report((i + 1, rows.Count));
            }

            return new Run(results, stillMs);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private PadPresentationResult JudgeBurst(
        PadManifestRow row, string kind, IPadFrameSource timeline, PadChallengeSpec challenge, LivenessBurstShape shape, List<double> stillMs, CancellationToken cancellationToken)
    {
        var burst = PadBurstCutter.Cut(timeline, challenge, row.StartSeconds, shape);
        var start = row.StartSeconds ?? (challenge.ShownAtSeconds is { } times ? Math.Max(0, times[0] - (shape.LookMs / 1000.0)) : 0);
        var clock = Stopwatch.StartNew();
        PadBurstJudgement judged;
        try
        {
            var verdict = judge.JudgeBurst(burst, scorePassive: true, cancellationToken, allChecks: true);
            var failed = verdict.IsLive ? [] : verdict.Evidence.FailedChecks.Select(c => c.ToString()).ToList();
            var e = verdict.Evidence;
            judged = new PadBurstJudgement(verdict.IsLive, PadMetrics.WithoutPassive(failed).Count == 0, failed,
                [.. e.TurnsSeen.Select(t => t.ToString())], e.PeakYaws, e.MinPlanarResidual, e.MinSamePersonSimilarity, e.PassiveScore)
            {
                MinTurnAgreement = e.MinTurnAgreement,
            };
        }
        catch (FaceImageRejectedException)
        {
            judged = new PadBurstJudgement(false, false, ["UnusableFrame"], [], [], null, null, null);
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var photo = burst.Frames.Count == 0
            ? new PadPhotoJudgement(false, nameof(LivenessRefusal.NoFace), null)
            : JudgePhoto(burst.Frames[PadBurstCutter.PhotoCapture(burst)].Image.ToArray(), stillMs, cancellationToken);
        return new PadPresentationResult(row.Path, row.Label, kind, PadBurstCutter.Describe(burst), Math.Round(start, 3), burst.Frames.Count, judged, photo, Math.Round(elapsed, 1));
    }

    private PadPhotoJudgement JudgePhoto(byte[] image, List<double> stillMs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var verdict = judge.JudgeStill(image, cancellationToken);
            stillMs.Add(clock.Elapsed.TotalMilliseconds);
            return new PadPhotoJudgement(verdict.IsLive, verdict.IsLive ? null : verdict.Refusal.ToString(), verdict.Evidence.PassiveScore);
        }
        catch (FaceImageRejectedException)
        {
            return new PadPhotoJudgement(false, "UnusableFrame", null);
        }
    }

    private static (IPadFrameSource Source, string Kind) Open(string path, PadManifestRow row, string work, int number, LivenessBurstShape shape, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            var folder = new FolderFrameSource(path, shape.FrameIntervalMs);
            return folder.Count > 0 ? (folder, "frames") : throw new PadInputException($"{row.Path}: the folder holds no .jpg or .png frames.");
        }

        if (!File.Exists(path))
        {
            throw new PadInputException($"{row.Path}: no such file or folder under the dataset.");
        }

        return StillExtensions.Contains(Path.GetExtension(path).ToLowerInvariant(), StringComparer.Ordinal)
            ? (new HeldStillFrameSource(File.ReadAllBytes(path), shape.FrameMaxSide), "still")
            : (ClipFrameSource.Extract(path, Path.Combine(work, number.ToString(System.Globalization.CultureInfo.InvariantCulture)), shape.FrameMaxSide, cancellationToken), "clip");
    }
}
