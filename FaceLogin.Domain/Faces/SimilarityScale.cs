namespace FaceLogin.Domain.Faces;

/// <summary>
/// Maps the raw cosine similarity of two L2-normalised embeddings to Rekognition's 0..100 similarity scale and back.
/// The mapping is monotonic, so a threshold on one scale is a threshold on the other.
/// Calibrated by the engine's evaluation: see docs/accuracy.md for the constants and the FAR each threshold gives.
/// </summary>
public sealed class SimilarityScale(float cosineAtZero, float cosineAtHundred)
{
    /// <summary>
    /// The local engine's default calibration, for its default recogniser (MobileFaceNet, docs/accuracy.md "The default match
    /// threshold"): score 0 at the mean impostor cosine over all 1.8 M impostor pairs of lfw-dev, score 80 at the cosine that
    /// accepts 1 impostor pair in 10 000 (FAR 1e-4). Rekognition's own default match threshold is 80 too.
    /// </summary>
    public static SimilarityScale Default { get; } = FromOperatingPoint(impostorMean: 0.0071f, cosineAtFar1e4: 0.4113f);

    /// <summary>
    /// The default match threshold on the 0..100 scale: the score at FAR 1e-4 over all pairs of lfw-dev (NIST SP 800-63B
    /// rev 4 asks biometrics for FMR ≤ 1e-4); docs/accuracy.md gives the FAR and TAR measured at it.
    /// </summary>
    public const float DefaultMatchThreshold = 80f;

    /// <summary>
    /// The house calibration for a recogniser: score 0 at its mean impostor cosine, <see cref="DefaultMatchThreshold"/> at the
    /// cosine measured for FAR 1e-4 over all impostor pairs.
    /// </summary>
    public static SimilarityScale FromOperatingPoint(float impostorMean, float cosineAtFar1e4) =>
        new(impostorMean, impostorMean + (cosineAtFar1e4 - impostorMean) * 100f / DefaultMatchThreshold);

    public float CosineAtZero { get; } = cosineAtZero;
    public float CosineAtHundred { get; } = cosineAtHundred;

    public float ToScore(float cosine) =>
        Math.Clamp(100f * (cosine - CosineAtZero) / (CosineAtHundred - CosineAtZero), 0f, 100f);

    public float ToCosine(float score) =>
        CosineAtZero + Math.Clamp(score, 0f, 100f) / 100f * (CosineAtHundred - CosineAtZero);
}
