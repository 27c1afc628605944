namespace FaceLogin.Domain.Faces;

/// <summary>
/// Maps the raw cosine similarity of two L2-normalised embeddings to Rekognition's 0..100 similarity scale and back.
/// The mapping is monotonic, so a threshold on one scale is a threshold on the other.
/// Calibrated by the engine's evaluation: see docs/accuracy.md for the constants and the FAR each threshold gives.
/// </summary>
public sealed class SimilarityScale(float cosineAtZero, float cosineAtHundred)
{
    /// <summary>
    /// The local engine's calibration (dlib ResNet, docs/accuracy.md): 0 at the mean impostor cosine over all lfw-dev
    /// pairs, 100 at a cosine only the closest genuine pairs reach.
    /// </summary>
    public static SimilarityScale Default { get; } = new(cosineAtZero: 0.30f, cosineAtHundred: 0.95f);

    /// <summary>
    /// The default match threshold on the 0..100 scale: the score at FAR 1e-4 over all pairs of lfw-dev
    /// (docs/accuracy.md gives the FAR and TAR it was measured at).
    /// </summary>
    public const float DefaultMatchThreshold = 80f;

    public float CosineAtZero { get; } = cosineAtZero;
    public float CosineAtHundred { get; } = cosineAtHundred;

    public float ToScore(float cosine) =>
        Math.Clamp(100f * (cosine - CosineAtZero) / (CosineAtHundred - CosineAtZero), 0f, 100f);

    public float ToCosine(float score) =>
        CosineAtZero + Math.Clamp(score, 0f, 100f) / 100f * (CosineAtHundred - CosineAtZero);
}
