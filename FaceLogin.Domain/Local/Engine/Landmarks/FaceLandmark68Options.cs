namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>face-api's 68-point net and how its input is cut from a detection.</summary>
public sealed record FaceLandmark68Options(string ModelPath)
{
    /// <summary>Side of the square crop in detector-box sides (chosen by measured verification accuracy, docs/accuracy.md).</summary>
    public float CropScale { get; init; } = 1.2f;

    /// <summary>Shift of the crop centre below the box centre, in crop sides.</summary>
    public float CropShiftDown { get; init; } = 0.05f;

    /// <summary>
    /// Cut the crop upright along the eye line: the net was trained on upright faces and a tilted camera frame is not.
    /// </summary>
    public bool Derotate { get; init; } = true;

    /// <summary>
    /// Passes after the first, each cutting the crop from the previous pass's points instead of the detector's box, so
    /// that the crop no longer depends on how the detector frames a face.
    /// </summary>
    public int RefinePasses { get; init; } = 1;

    /// <summary>
    /// Also run the net on the mirrored crop and average the two shapes (one batch of two): steadier points, measured
    /// lower EER and higher TAR at FAR 1e-3 (docs/accuracy.md) for about a millisecond.
    /// </summary>
    public bool MirrorAveraging { get; init; } = true;
}
