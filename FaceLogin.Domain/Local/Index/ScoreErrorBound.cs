namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// How far the scan (int8) score of any stored vector can be from its exact float32 score for one query: a per-query
/// constant B = φ + γ_d·N_q + σ·(N_q + φ), where φ bounds the query's quantisation error. The stored side adds nothing: what is
/// stored is x̂ = s·c itself, so it has no quantisation error. With B a scan can drop every vector whose upper bound is below
/// the k-th best lower bound and still return exactly the float32 top-k over the stored vectors.
/// </summary>
/// <remarks>
/// Proof. Notation: u = 2⁻²⁴; fl(·) is float32 rounding; q is the (normalised, float) query with ‖q‖ ≤ N_q; q̃ = s_q·c_q is its
/// quantisation with ‖q − q̃‖ ≤ φ; x̂ = s·c is a stored vector, c its integer codes (|cᵢ| ≤ 127, c ≠ 0: the largest component of
/// a unit vector gets code ±127).
/// <list type="bullet">
/// <item>Scores. The score against x̂ is its cosine S = q·x̂/‖x̂‖ = q·c/‖c‖ (s cancels). The index computes it as
/// Ŝ = fl(D / n), D the float32 dot product of c (exact as floats) with q and n = fl(‖c‖) = ‖c‖(1 + ν), |ν| &lt; 1.0000001u
/// (<see cref="Int8Quantization.CodeNorm"/>). The scan computes Â = fl(fl(I)·fl(s_q / n)), I = c_q·c the exact integer
/// (|I| ≤ 4096·127² &lt; 2³¹); Â approximates A = q̃·c/‖c‖ = s_q·I/‖c‖.</item>
/// <item>Quantisation. S − A = (q − q̃)·c/‖c‖ and c/‖c‖ is a unit vector, so |S − A| ≤ φ (Cauchy–Schwarz). This is the only
/// quantisation term.</item>
/// <item>The exact score's rounding. In any summation order, with or without FMA, D = c·q + e with |e| ≤ γ_d·Σ|cᵢqᵢ| ≤ γ_d‖c‖N_q,
/// γ_d = d·u / (1 − d·u) (Higham, Accuracy and Stability, §3.1). With the division's own rounding, Ŝ = (S + e/‖c‖)(1 + ρ),
/// |ρ| ≤ (1 + u)/(1 − 1.0000001u) − 1 ≤ 2.01u, and |S| ≤ ‖q‖, so |Ŝ − S| ≤ γ_d·N_q + 2.01u·N_q(1 + γ_d) ≤ γ_d·N_q + 2.02u·N_q
/// (γ_d ≤ 2.5·10⁻⁴ for d ≤ <see cref="FaceVectorIndex.MaxDimension"/>).</item>
/// <item>The scan score's rounding. Converting I, the quotient and the product give Â = A(1 + ρ'), |ρ'| ≤ (1 + u)³/(1 − 1.0000001u) − 1
/// ≤ 4.01u, and |A| ≤ ‖q̃‖ ≤ N_q + φ, so |Â − A| ≤ 4.01u(N_q + φ).</item>
/// <item>Together: |Ŝ − Â| ≤ φ + γ_d·N_q + 6.03u(N_q + φ). The index forms upper = fl(Â + B) and lower = fl(Â − B), each off by at
/// most u(|Â| + B) ≤ 2.01u(N_q + φ) (B ≤ (1 + γ_d + σ)(N_q + φ), one ulp more after rounding up). So upper ≥ Ŝ ≥ lower as long as
/// B ≥ φ + γ_d·N_q + 8.04u(N_q + φ); <see cref="RoundingFactor"/> σ = 16u gives that with room to spare. Underflow in D adds at most
/// d·2⁻¹⁵⁰ &lt; 2⁻¹³⁷ in absolute terms, far inside that spare (N_q ≈ 1: the query is normalised).</item>
/// </list>
/// Hence a vector whose upper bound is below k other vectors' lower bounds scores strictly below all k of them, and one whose upper
/// bound is below the threshold scores below it: dropping them leaves the float32 top-k, ties included.
/// </remarks>
internal static class ScoreErrorBound
{
    /// <summary>σ: covers the float rounding of both scores and of the ± bound (≤ 8.04u of the 16u); see the remarks.</summary>
    public const double RoundingFactor = 16.0 / (1 << 24);

    private const double UnitRoundoff = 1.0 / (1 << 24);

    /// <param name="dimension">Vector length d.</param>
    /// <param name="queryNormBound">N_q: the query's norm does not exceed it.</param>
    /// <param name="queryErrorNorm">φ: bound of the query's quantisation error.</param>
    /// <returns>B, rounded up to float: |exact − scan score| ≤ B for every stored vector, including the rounding of scan score ± B.</returns>
    public static float For(int dimension, double queryNormBound, double queryErrorNorm) =>
        Int8Quantization.RoundUp(
            queryErrorNorm + FloatDotRelativeError(dimension) * queryNormBound + RoundingFactor * (queryNormBound + queryErrorNorm));

    /// <summary>γ_d: relative error bound of a float32 dot product of length d (Higham, Accuracy and Stability, §3.1).</summary>
    public static double FloatDotRelativeError(int dimension) =>
        dimension * UnitRoundoff / (1 - dimension * UnitRoundoff);
}
