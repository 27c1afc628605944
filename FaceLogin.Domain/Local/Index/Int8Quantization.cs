using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// The vector index's representation: each stored vector becomes int8 codes c and one float scale s once, when it is added, and
/// from then on the stored vector is x̂ = s·c (there is no float32 copy). Queries are quantised the same way for the scan, with the
/// Euclidean norm of what that loses, so a search can bound how far a scan score may be from the exact score against x̂
/// (see <see cref="ScoreErrorBound"/>). A scan reads 1 byte per dimension instead of 4, which is what makes 1 M faces fit a
/// 20 ms budget, and a stored face costs d bytes instead of 5·d.
/// </summary>
internal static class Int8Quantization
{
    /// <summary>Symmetric range: -127..127, so negating a vector negates its codes exactly.</summary>
    public const int MaxCode = 127;

    /// <summary>
    /// Codes are padded with zeros to a multiple of this, so the SIMD kernels never need a scalar tail:
    /// 32 int8 codes widen to one 512-bit vector of int16.
    /// </summary>
    public const int CodeAlignment = 32;

    public static int PaddedLength(int dimension) => (dimension + CodeAlignment - 1) / CodeAlignment * CodeAlignment;

    /// <summary>Quantises a stored vector. <paramref name="codes"/> must be <see cref="PaddedLength"/> long; the padding is zeroed.</summary>
    /// <returns>The scale s of x̂ = s·codes.</returns>
    public static float QuantizeStored(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var scale = ScaleOf(vector);
        codes.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)Code(vector[i], scale);
        }

        return scale;
    }

    /// <summary>
    /// ‖codes‖ rounded to float: what a score against x̂ = s·c divides by, since x̂ / ‖x̂‖ = c / ‖c‖ (s cancels).
    /// Σcᵢ² is an exact integer (≤ 4096·127² &lt; 2³¹), its square root is taken in double and rounded once to float, so the
    /// result is ‖c‖·(1 + ν) with |ν| ≤ (1 + 2⁻⁵³)(1 + 2⁻²⁴) − 1 &lt; 1.0000001·2⁻²⁴.
    /// </summary>
    public static float CodeNorm(ReadOnlySpan<sbyte> codes)
    {
        var sumOfSquares = 0;
        foreach (var code in codes)
        {
            sumOfSquares += code * code;
        }

        return (float)Math.Sqrt(sumOfSquares);
    }

    /// <summary>
    /// x̂ / ‖x̂‖ = c / ‖c‖ for a stored vector's codes: the direction the index holds for it, as a search by id uses it and as an
    /// evaluation scores it.
    /// </summary>
    public static float[] Direction(ReadOnlySpan<sbyte> codes, int dimension)
    {
        var floats = new float[dimension];
        ToFloats(codes, floats);
        return UnitVector.Normalize(floats);
    }

    /// <summary>The codes as floats (exact: they are integers up to 127), for the exact float32 score against x̂.</summary>
    public static void ToFloats(ReadOnlySpan<sbyte> codes, Span<float> destination) =>
        TensorPrimitives.ConvertChecked(codes[..destination.Length], destination);

    /// <summary>Quantises a query to int16 lanes (values still -127..127) so the kernels can multiply-add pairs without widening it per vector.</summary>
    public static (float Scale, float ErrorNorm) QuantizeQuery(ReadOnlySpan<float> query, Span<short> codes)
    {
        var scale = ScaleOf(query);
        codes.Clear();
        for (var i = 0; i < query.Length; i++)
        {
            codes[i] = (short)Code(query[i], scale);
        }

        return (scale, ErrorNorm(query, scale, codes));
    }

    /// <summary>Which kernel <see cref="Dot"/> runs on this machine (reported by the benchmark).</summary>
    public static string KernelName =>
        Avx512BW.IsSupported && Vector512.IsHardwareAccelerated ? "avx512bw" : Avx2.IsSupported ? "avx2" : "scalar";

    /// <summary>
    /// Σ codes[i]·query[i] over the padded length, exactly (|sum| ≤ 4096·127·127 &lt; 2³¹).
    /// Picks the widest kernel the CPU runs well; all kernels return the same integer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
        {
            return DotAvx512(codes, query);
        }

        return Avx2.IsSupported ? DotAvx2(codes, query) : DotScalar(codes, query);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DotAvx512(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        ref var c = ref MemoryMarshal.GetReference(codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var sum = Vector512<int>.Zero;
        for (nuint i = 0; i < (nuint)codes.Length; i += 32)
        {
            // vpmovsxbw then vpmaddwd: 32 int8·int16 products summed in pairs to 16 int32 lanes.
            var widened = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref c, i));
            sum += Avx512BW.MultiplyAddAdjacent(widened, Vector512.LoadUnsafe(ref q, i));
        }

        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DotAvx2(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        ref var c = ref MemoryMarshal.GetReference(codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var sum = Vector256<int>.Zero;
        for (nuint i = 0; i < (nuint)codes.Length; i += 16)
        {
            var widened = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref c, i));
            sum += Avx2.MultiplyAddAdjacent(widened, Vector256.LoadUnsafe(ref q, i));
        }

        return Vector256.Sum(sum);
    }

    internal static int DotScalar(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        var sum = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            sum += codes[i] * query[i];
        }

        return sum;
    }

    private static float ScaleOf(ReadOnlySpan<float> vector)
    {
        var maxMagnitude = MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        return maxMagnitude / MaxCode;
    }

    private static int Code(float value, float scale) =>
        scale == 0f ? 0 : Math.Clamp((int)MathF.Round(value / scale), -MaxCode, MaxCode);

    private static float ErrorNorm(ReadOnlySpan<float> vector, float scale, ReadOnlySpan<short> codes)
    {
        // In double, scale·code is exact (24 + 8 bits) and the sum's relative error (~1e-15) is far below
        // the one-ulp float round-up that follows.
        double sumOfSquares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var error = (double)vector[i] - (double)scale * codes[i];
            sumOfSquares += error * error;
        }

        return RoundUp(Math.Sqrt(sumOfSquares));
    }

    /// <summary>The smallest float not below <paramref name="value"/> (plus one ulp), so a bound stays a bound after narrowing.</summary>
    public static float RoundUp(double value) => MathF.BitIncrement((float)value);
}
