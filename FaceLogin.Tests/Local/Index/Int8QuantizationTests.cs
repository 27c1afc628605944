using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

public sealed class Int8QuantizationTests
{
    private readonly VectorFactory _factory = new(29);

    [Theory]
    [InlineData(32)]
    [InlineData(128)]
    [InlineData(544)]
    [InlineData(4096)]
    public void Every_simd_kernel_returns_the_scalar_sum(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 50; trial++)
        {
            var codes = new sbyte[length];
            var query = new short[length];
            for (var i = 0; i < length; i++)
            {
                // Extremes included: ±127 everywhere is the largest sum the kernels must hold.
                codes[i] = trial == 0 ? (sbyte)127 : (sbyte)random.Next(-127, 128);
                query[i] = trial == 0 ? (short)-127 : (short)random.Next(-127, 128);
            }

            var expected = Int8Quantization.DotScalar(codes, query);
            if (Avx2.IsSupported)
            {
                Assert.Equal(expected, Int8Quantization.DotAvx2(codes, query));
            }

            if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
            {
                Assert.Equal(expected, Int8Quantization.DotAvx512(codes, query));
            }

            Assert.Equal(expected, Int8Quantization.Dot(codes, query));
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(7)]
    public void Stored_error_norm_bounds_the_real_quantisation_error_and_padding_is_zero(int dimension)
    {
        var padded = Int8Quantization.PaddedLength(dimension);
        Assert.Equal(0, padded % Int8Quantization.CodeAlignment);
        for (var trial = 0; trial < 200; trial++)
        {
            var vector = trial % 2 == 0 ? _factory.Unit(dimension) : _factory.Gaussian(dimension);
            var codes = new sbyte[padded];
            codes.AsSpan().Fill(99);
            var (scale, errorNorm) = Int8Quantization.QuantizeStored(vector, codes);

            double sumOfSquares = 0;
            for (var i = 0; i < dimension; i++)
            {
                Assert.InRange(codes[i], (sbyte)-127, (sbyte)127);
                var error = (double)vector[i] - (double)scale * codes[i];
                sumOfSquares += error * error;
            }

            Assert.True(Math.Sqrt(sumOfSquares) <= errorNorm);
            Assert.All(codes[dimension..], code => Assert.Equal(0, code));
        }
    }

    [Fact]
    public void The_score_error_bound_holds_for_random_clustered_spiky_and_adversarial_pairs_and_is_nearly_tight()
    {
        const int dimension = 128;
        var padded = Int8Quantization.PaddedLength(dimension);
        var storedNormBound = Math.Sqrt((1 + FaceVectorIndex.UnitNormTolerance) / (1 - ScoreErrorBound.FloatDotRelativeError(dimension))) * (1 + 1e-12);
        var worstRatio = 0.0;
        for (var trial = 0; trial < 5000; trial++)
        {
            var (x, q) = (trial % 4) switch
            {
                0 => (_factory.Unit(dimension), _factory.Unit(dimension)),
                1 => Near(),
                2 => (AdversarialVectors.Spiky(_factory, dimension), AdversarialVectors.Spiky(_factory, dimension)),
                _ => (AdversarialVectors.ErrorAlongQuery(_factory, dimension, adversarial: true), AdversarialVectors.Query(dimension)),
            };

            var codes = new sbyte[padded];
            var (scale, errorNorm) = Int8Quantization.QuantizeStored(x, codes);
            var queryCodes = new short[padded];
            var (queryScale, queryError) = Int8Quantization.QuantizeQuery(q, queryCodes);
            var queryNorm = Math.Sqrt(q.Sum(v => (double)v * v)) * (1 + 1e-12);

            var approximate = Int8Quantization.Dot(codes, queryCodes) * (scale * queryScale);
            var bound = ScoreErrorBound.For(dimension, storedNormBound, queryNorm, queryError).Of(errorNorm);
            var exact = TensorPrimitives.Dot(x, q);
            var error = Math.Abs(exact - approximate);
            Assert.True(error <= bound, $"trial {trial}: |{exact} − {approximate}| = {error} > {bound}");
            worstRatio = Math.Max(worstRatio, error / bound);
        }

        // Vectors whose rounding errors all point along the query make Cauchy–Schwarz nearly tight: the bound is not slack.
        Assert.InRange(worstRatio, 0.9, 1);

        (float[], float[]) Near()
        {
            var x = _factory.Unit(dimension);
            return (x, _factory.Near(x, 0.01f));
        }

    }
}

/// <summary>
/// Data built so the int8 stage errs as much as the bound allows: every rounding error of the stored vector points along the query.
/// </summary>
internal static class AdversarialVectors
{
    /// <summary>
    /// One component near 1, the rest ~1e-3: with scale 1/127 every small component rounds to code 0, so the int8 scores of
    /// such vectors are all alike and only the bound keeps the ones that win on the small components.
    /// </summary>
    public static float[] Spiky(VectorFactory factory, int dimension)
    {
        var values = factory.Gaussian(dimension);
        for (var i = 0; i < dimension; i++)
        {
            values[i] *= 1e-3f;
        }

        values[5] = 1f;
        return UnitVector.Normalize(values);
    }

    /// <summary>All components equal: quantises without error, so the whole error budget is the stored vector's.</summary>
    public static float[] Query(int dimension) => UnitVector.Normalize(Enumerable.Repeat(1f, dimension).ToArray());

    /// <summary>
    /// Component 0 sets the scale (code 127); the others sit at m + 0.49 steps, so each rounds down to m and loses 0.49 of a step
    /// in the query's direction (when <paramref name="adversarial"/>), or sit exactly on m and lose nothing.
    /// </summary>
    public static float[] ErrorAlongQuery(VectorFactory factory, int dimension, bool adversarial)
    {
        var values = new float[dimension];
        values[0] = 127;
        for (var i = 1; i < dimension; i++)
        {
            values[i] = factory.Next(41) - 20 + (adversarial ? 0.49f : 0f);
        }

        return UnitVector.Normalize(values);
    }
}
