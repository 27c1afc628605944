namespace FaceLogin.Domain.Faces;

/// <summary>
/// Maps the raw cosine similarity of two L2-normalised embeddings to Rekognition's 0..100 similarity scale and back.
/// The mapping is monotonic, so a threshold on one scale is a threshold on the other.
/// Calibrated by the engine's evaluation: see docs/accuracy.md for the constants and the FAR each threshold gives.
/// </summary>
public sealed class SimilarityScale(float cosineAtZero, float cosineAtHundred)
{
    public float CosineAtZero { get; } = cosineAtZero;
    public float CosineAtHundred { get; } = cosineAtHundred;

    public float ToScore(float cosine) =>
        Math.Clamp(100f * (cosine - CosineAtZero) / (CosineAtHundred - CosineAtZero), 0f, 100f);

    public float ToCosine(float score) =>
        CosineAtZero + Math.Clamp(score, 0f, 100f) / 100f * (CosineAtHundred - CosineAtZero);
}
