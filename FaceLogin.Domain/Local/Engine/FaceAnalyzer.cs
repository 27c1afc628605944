using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Detection;
using FaceLogin.Domain.Local.Engine.Quality;
using FaceLogin.Domain.Local.Engine.Recognition;

namespace FaceLogin.Domain.Local.Engine;

/// <summary>
/// The local engine's pipeline: decode → detect → 68 landmarks → quality and pose → the recogniser's chip → embedding.
/// Stateless apart from the shared, thread-safe model sessions, so one instance serves concurrent requests.
/// </summary>
public sealed class FaceAnalyzer(
    IImageDecoder decoder,
    IFaceDetector detector,
    IFaceLandmarker landmarker,
    FaceRecognizer recognizer,
    FaceQualityAssessor quality) : IFaceAnalyzer
{
    public string ModelVersion => recognizer.Version;

    public int EmbeddingLength => recognizer.EmbeddingLength;

    public FaceAnalysis Analyze(ReadOnlyMemory<byte> image, EmbedFaces embed, CancellationToken cancellationToken) =>
        Analyze(image, embed switch
        {
            EmbedFaces.None => static (_, _) => [],
            EmbedFaces.Largest => static (faces, _) => faces.Count > 0 ? [0] : [],
            _ => static (faces, _) => [.. Enumerable.Range(0, faces.Count)],
        }, timings: null, cancellationToken);

    /// <summary>
    /// The pipeline with a caller-chosen set of faces to embed (indices into the faces, largest first), and optional
    /// per-stage timings. The evaluation embeds the face nearest the labelled position; the bench times the stages.
    /// </summary>
    /// <param name="lookUpsideDown">
    /// Whether to look at the largest face turned 180° too (two more detector runs): every door's photo needs it; the liveness
    /// judge's frames do not (the frontal frame it picks is analysed again, with it, by the door's admission).
    /// </param>
    internal FaceAnalysis Analyze(
        ReadOnlyMemory<byte> image,
        Func<IReadOnlyList<DetectedFace>, RgbaImage, IReadOnlyCollection<int>> facesToEmbed,
        StageTimings? timings,
        CancellationToken cancellationToken,
        bool lookUpsideDown = true)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = Stopwatch.GetTimestamp();
        var decoded = decoder.Decode(image.Span);
        timings?.Add(PipelineStage.Decode, start);

        start = Stopwatch.GetTimestamp();
        var detected = detector.Detect(decoded).OrderByDescending(f => f.Box.Area).ToList();
        var detections = lookUpsideDown ? TurnUpsideDownFace(decoded, detected) : detected;
        timings?.Add(PipelineStage.Detect, start);

        var toEmbed = facesToEmbed(detections, decoded);
        var faces = new List<AnalyzedFace>(detections.Count);
        for (var i = 0; i < detections.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var detection = detections[i];
            start = Stopwatch.GetTimestamp();
            var shape = landmarker.Locate(decoded, detection);
            timings?.Add(PipelineStage.Landmarks, start);

            start = Stopwatch.GetTimestamp();
            var pose = HeadPoseEstimator.Estimate(shape);
            var faceQuality = quality.Measure(decoded, detection.Box);
            var issues = quality.Issues(faceQuality, pose, detection.Score);
            timings?.Add(PipelineStage.Quality, start);

            var embedding = toEmbed.Contains(i) ? recognizer.Embed(decoded, shape, timings) : null;

            faces.Add(new AnalyzedFace(Describe(detection, shape, pose, faceQuality, decoded), issues, embedding) { Shape = shape });
        }

        return new FaceAnalysis(decoded.Width, decoded.Height, faces);
    }

    /// <summary>
    /// The largest face (the one every door judges) as the detector sees it upside down, when it is (docs/engine.md,
    /// "Upside-down faces"). Only a face bright and sharp enough: a blurred or dark face reads either way round about
    /// equally (a blurred upright face was taken for upside down), and is refused for its blur or darkness anyway.
    /// </summary>
    private List<DetectedFace> TurnUpsideDownFace(RgbaImage image, List<DetectedFace> detections)
    {
        if (detections.Count == 0 || detector is not IUpsideDownFaceFinder finder)
        {
            return detections;
        }

        var measured = quality.Measure(image, detections[0].Box);
        if (measured.Brightness < quality.Options.MinBrightness || measured.Sharpness < quality.Options.MinSharpness
            || finder.LookUpsideDown(image, detections[0]) is not { } look
            || !IsUpsideDown(image, detections[0], look))
        {
            return detections;
        }

        detections[0] = look.Turned;
        return [.. detections.OrderByDescending(f => f.Box.Area)];
    }

    /// <summary>
    /// The detector's verdict, and where it cannot tell, the recogniser's added to it: the face is located and cut both ways
    /// round, and an upside-down face aligned as if upright gives an upside-down chip, which MobileFaceNet answers weakly
    /// (its unnormalised output is shorter). The face is upside down when the turned chip's norm, as a fraction of the upright
    /// one's, plus the detector's margin, is above 1: the norm alone misread 1 of 25 undecided upright faces and 1 of 11
    /// upside-down ones (lfw-dev, tools/orientation-probe/signals.cs, docs/engine.md "Upside-down faces"), the two together
    /// none of those. Costs two landmark passes and two chips, only for the undecided face (about one in ten).
    /// </summary>
    internal bool IsUpsideDown(RgbaImage image, DetectedFace face, UpsideDownLook look) => look.Verdict switch
    {
        UpsideDownVerdict.UpsideDown => true,
        UpsideDownVerdict.Undecided =>
            recognizer.Strength(image, landmarker.Locate(image, look.Turned)) / recognizer.Strength(image, landmarker.Locate(image, face))
            + look.Margin > 1f,
        _ => false,
    };

    private static FaceDetail Describe(DetectedFace detection, FaceShape shape, FacePose pose, FaceQuality faceQuality, RgbaImage image)
    {
        FacePoint Ratio(FacePoint p) => new(p.X / image.Width, p.Y / image.Height);
        var box = ClampToImage(detection.Box, image);
        return new FaceDetail(
            BoundingBox.FromPixels(box, image.Width, image.Height),
            Confidence: detection.Score * 100f,
            pose,
            faceQuality,
            new FaceLandmarks5(
                Ratio(shape.EyeLeftCentre),
                Ratio(shape.EyeRightCentre),
                Ratio(shape.NoseTip),
                Ratio(shape.MouthLeft),
                Ratio(shape.MouthRight)));
    }

    /// <summary>
    /// A face cut by the image's edge gets a detector box partly outside it; the port's users crop thumbnails and draw
    /// the box, so it crosses the port clipped to the image (the landmarks are not clipped).
    /// </summary>
    internal static PixelRect ClampToImage(PixelRect box, RgbaImage image)
    {
        var left = Math.Clamp(box.X, 0, image.Width);
        var top = Math.Clamp(box.Y, 0, image.Height);
        var right = Math.Clamp(box.Right, 0, image.Width);
        var bottom = Math.Clamp(box.Bottom, 0, image.Height);
        return new PixelRect(left, top, right - left, bottom - top);
    }
}
