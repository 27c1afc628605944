namespace FaceLogin.Domain.Local.Engine.Detection;

public sealed record BlazeFaceDetectorOptions(string ModelPath)
{
    /// <summary>
    /// Faces scoring below this are ignored. 0.75: a logo scored 0.55–0.61 in the engine notes' experiment, while
    /// every lfw-dev face scores above 0.9 (see docs/accuracy.md).
    /// </summary>
    public float ScoreThreshold { get; init; } = 0.75f;

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

    /// <summary>Side of the second pass's square crop, in face-box sides: the face then fills about 40 % of it, as in lfw-dev.</summary>
    public float RefineCropScale { get; init; } = 2.5f;
}
