namespace FaceLogin.Domain.Local.Engine.Detection;

public sealed record BlazeFaceDetectorOptions(string ModelPath)
{
    /// <summary>
    /// Candidates scoring below this are ignored. Low on purpose (0.5): BlazeFace scores some real faces (close-ups,
    /// half profiles) 0.6–0.75 on the whole frame, and the quality filter, not the detector, decides whether such a face
    /// is good enough (LOW_CONFIDENCE). See docs/accuracy.md, "Detection".
    /// </summary>
    public float ScoreThreshold { get; init; } = 0.5f;

    /// <summary>Candidates scoring below this get a second look on a crop around them; the better score counts.</summary>
    public float ConfirmBelow { get; init; } = 0.75f;

    public float IouThreshold { get; init; } = 0.3f;

    public int MaxFaces { get; init; } = 20;

    /// <summary>Average the overlapping anchors (MediaPipe's weighted NMS) rather than keep only the best.</summary>
    public bool WeightedSuppression { get; init; } = true;

    /// <summary>
    /// A face whose box is smaller than this fraction of the detector's 256 px input is detected again on a crop around
    /// it: a face 75 px wide in a 640×480 frame is only 30 px in the letterbox, and its keypoints are coarse there.
    /// 0 turns the second pass off.
    /// </summary>
    public float RefineBelowFraction { get; init; } = 0.35f;

    /// <summary>
    /// Look at the largest face again on a crop turned 180° and keep that look when it scores higher (the face is upside
    /// down); see <see cref="BlazeFaceDetector"/>. Off only to measure what it costs and what it changes.
    /// </summary>
    public bool UpsideDownLook { get; init; } = true;

    /// <summary>
    /// How much higher the turned look must score than the upright one for a face to count as upside down (and how much lower
    /// for upright); in between the detector cannot tell and <see cref="FaceAnalyzer"/> asks the recogniser. Measured on lfw-dev
    /// photos (tools/orientation-probe, docs/engine.md "Upside-down faces"): at 0 two of 100 upright faces were turned; at 0.08
    /// none of 200, and 180 of the 191 upside-down faces BlazeFace found were recognised as such by the detector alone.
    /// </summary>
    public float UpsideDownMargin { get; init; } = 0.08f;

    /// <summary>Side of the second pass's square crop, in face-box sides (the face then fills a third of it).</summary>
    public float RefineCropScale { get; init; } = 3f;
}
