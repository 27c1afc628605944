namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>
/// When a face is not good enough to index or to log in with. The values are chosen from measured distributions
/// (docs/accuracy.md, "Quality thresholds"): every lfw-dev face and every face of its camera-like variant passes,
/// while dark, blurred, tiny, turned-away and doubtful faces fail.
/// </summary>
public sealed record FaceQualityOptions
{
    /// <summary>Detection score (0..1) below which a face is LOW_CONFIDENCE.</summary>
    public float MinConfidence { get; init; } = 0.65f;

    /// <summary>Shorter side of the face box, in pixels of the decoded image, below which a face is SMALL_BOUNDING_BOX.</summary>
    public float MinFaceSizePx { get; init; } = 40f;

    /// <summary>Brightness (0..100, mean luma of the face) below which a face is LOW_BRIGHTNESS.</summary>
    public float MinBrightness { get; init; } = 10f;

    /// <summary>Sharpness (0..100) below which a face is LOW_SHARPNESS.</summary>
    public float MinSharpness { get; init; } = 10f;

    /// <summary>
    /// Detail (Laplacian variance ÷ luma variance on the 48 px face patch) that maps to sharpness 63 (1 − 1/e):
    /// <c>sharpness = 100·(1 − exp(−detail / scale))</c>. 0.25 puts lfw-dev's median face near 70.
    /// </summary>
    public float SharpnessScale { get; init; } = 0.25f;

    /// <summary>|Yaw| in degrees above which a face is EXTREME_POSE.</summary>
    public float MaxYaw { get; init; } = 65f;

    /// <summary>|Pitch| in degrees above which a face is EXTREME_POSE.</summary>
    public float MaxPitch { get; init; } = 60f;
}
