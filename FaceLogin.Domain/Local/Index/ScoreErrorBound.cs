namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// How far the approximate (int8) score of a stored vector can be from its exact float32 score for one query:
/// |exact − approximate| ≤ εₓ · <see cref="PerVectorErrorFactor"/> + <see cref="Constant"/>, where εₓ bounds the stored vector's
/// quantisation error. With it a scan can drop every vector whose upper bound is below the k-th best lower bound
/// and still return exactly the float32 top-k.
/// </summary>
/// <remarks>
/// Proof. Let x̃ = sₓ·cₓ (‖x − x̃‖ ≤ εₓ) and q̃ = s_q·c_q (‖q − q̃‖ ≤ φ). Then x·q − x̃·q̃ = (x − x̃)·q + x̃·(q − q̃), so by Cauchy–Schwarz
/// |x·q − x̃·q̃| ≤ εₓ‖q‖ + ‖x̃‖φ ≤ εₓ(N_q + φ) + Nₓφ, with ‖x‖ ≤ Nₓ and ‖q‖ ≤ N_q.
/// The exact score is itself a float32 dot product: in any summation order (with or without FMA) it is within
/// γ_d·Σ|xᵢqᵢ| ≤ γ_d·Nₓ·N_q of x·q, where γ_d = d·u / (1 − d·u) and u = 2⁻²⁴.
/// The approximate score is I·(sₓ·s_q) with the integer I exact; its two or three float roundings stay below 5u·|x̃·q̃|,
/// and |x̃·q̃| &lt; 1.6 because εₓ, φ ≤ √d/254 ≤ 0.26 for d ≤ <see cref="FaceVectorIndex.MaxDimension"/>. Forming a ± bound costs
/// another 4u or so. <see cref="ArithmeticSlack"/> (≈ 17u) covers those last two.
/// </remarks>
internal readonly record struct ScoreErrorBound(float PerVectorErrorFactor, float Constant)
{
    /// <summary>Covers the float rounding of the approximate score and of a ± bound (≤ 9u ≈ 5.4e-7); see the remarks.</summary>
    public const double ArithmeticSlack = 1e-6;

    private const double UnitRoundoff = 1.0 / (1 << 24);

    /// <param name="dimension">Vector length d.</param>
    /// <param name="storedNormBound">Nₓ: no stored vector's norm exceeds it.</param>
    /// <param name="queryNormBound">N_q: the query's norm does not exceed it.</param>
    /// <param name="queryErrorNorm">φ: bound of the query's quantisation error.</param>
    public static ScoreErrorBound For(int dimension, double storedNormBound, double queryNormBound, double queryErrorNorm)
    {
        var floatDotError = FloatDotRelativeError(dimension) * storedNormBound * queryNormBound;
        return new ScoreErrorBound(
            Int8Quantization.RoundUp(queryNormBound + queryErrorNorm),
            Int8Quantization.RoundUp(storedNormBound * queryErrorNorm + floatDotError + ArithmeticSlack));
    }

    /// <summary>γ_d: relative error bound of a float32 dot product of length d (Higham, Accuracy and Stability, §3.1).</summary>
    public static double FloatDotRelativeError(int dimension) =>
        dimension * UnitRoundoff / (1 - dimension * UnitRoundoff);

    public float Of(float vectorErrorNorm) => vectorErrorNorm * PerVectorErrorFactor + Constant;
}
