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
    [InlineData(512)]
    [InlineData(7)]
    public void A_stored_vector_is_its_codes_times_its_scale_within_half_a_step_per_component_and_padding_is_zero(int dimension)
    {
        var padded = Int8Quantization.PaddedLength(dimension);
        Assert.Equal(0, padded % Int8Quantization.CodeAlignment);
        for (var trial = 0; trial < 200; trial++)
        {
            var vector = trial % 2 == 0 ? _factory.Unit(dimension) : AdversarialVectors.Spiky(_factory, dimension);
            var codes = new sbyte[padded];
            codes.AsSpan().Fill(99);
            var scale = Int8Quantization.QuantizeStored(vector, codes);

            // The largest component gets ±127, so no code is wasted and c ≠ 0; every other one rounds to the nearest step.
            Assert.Equal(127, codes.Max(c => Math.Abs((int)c)));
            for (var i = 0; i < dimension; i++)
            {
                Assert.InRange(codes[i], (sbyte)-127, (sbyte)127);
                // Half a step, plus the float rounding of vector[i] / scale (≤ 127.5 · 2⁻²⁴ of a step).
                Assert.True(Math.Abs(vector[i] - (double)scale * codes[i]) <= scale * (0.5 + 1e-5), $"component {i}");
            }

            Assert.All(codes[dimension..], code => Assert.Equal(0, code));
            Assert.Equal((float)Math.Sqrt(codes.Sum(c => (double)c * c)), Int8Quantization.CodeNorm(codes));
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(7)]
    public void Query_error_norm_bounds_the_real_quantisation_error_and_padding_is_zero(int dimension)
    {
        var padded = Int8Quantization.PaddedLength(dimension);
        for (var trial = 0; trial < 200; trial++)
        {
            var query = trial % 2 == 0 ? _factory.Unit(dimension) : _factory.Gaussian(dimension);
            var codes = new short[padded];
            codes.AsSpan().Fill(99);
            var (scale, errorNorm) = Int8Quantization.QuantizeQuery(query, codes);

            double sumOfSquares = 0;
            for (var i = 0; i < dimension; i++)
            {
                Assert.InRange(codes[i], (short)-127, (short)127);
                var error = (double)query[i] - (double)scale * codes[i];
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
        var adversarialQuery = UnitVector.Normalize(AdversarialVectors.Query(_factory, dimension));
        var adversarialStored = AdversarialVectors.AlongQueryError(_factory, dimension, 1250).ToList();
        var worstRatio = 0.0;
        for (var trial = 0; trial < 5000; trial++)
        {
            var (x, q) = (trial % 4) switch
            {
                0 => (_factory.Unit(dimension), _factory.Unit(dimension)),
                1 => Near(),
                2 => (AdversarialVectors.Spiky(_factory, dimension), AdversarialVectors.Spiky(_factory, dimension)),
                _ => (adversarialStored[trial / 4], adversarialQuery),
            };

            // The scan's score and bound, computed as FaceVectorIndex computes them.
            var codes = new sbyte[padded];
            Int8Quantization.QuantizeStored(x, codes);
            var codeNorm = Int8Quantization.CodeNorm(codes);
            var queryCodes = new short[padded];
            var (queryScale, queryError) = Int8Quantization.QuantizeQuery(q, queryCodes);
            var queryNorm = Math.Sqrt(q.Sum(v => (double)v * v)) * (1 + 1e-12);
            var approximate = (float)Int8Quantization.Dot(codes, queryCodes) * (queryScale / codeNorm);
            var bound = ScoreErrorBound.For(dimension, queryNorm, queryError);

            // The exact score against the stored vector x̂ (what the index re-scores with and the naive scan computes).
            var stored = StoredVector.Of(Guid.Empty, x);
            var exact = stored.Cosine(q);
            var error = Math.Abs(exact - approximate);
            Assert.True(error <= bound, $"trial {trial}: |{exact} − {approximate}| = {error} > {bound}");
            Assert.InRange(exact, approximate - bound, approximate + bound);
            worstRatio = Math.Max(worstRatio, error / bound);

            // And it is the cosine with x̂ = s·c dequantised the plain way, up to float rounding.
            var dequantized = stored.Dequantized();
            Assert.Equal(TensorPrimitives.Dot(dequantized, q) / TensorPrimitives.Norm(dequantized), exact, 1e-6f);
        }

        // A query whose rounding errors all point along the stored vector makes Cauchy–Schwarz nearly tight: the bound is not slack.
        Assert.InRange(worstRatio, 0.9, 1);

        (float[], float[]) Near()
        {
            var x = _factory.Unit(dimension);
            return (x, _factory.Near(x, 0.01f));
        }
    }
}

/// <summary>
/// Data built so the int8 stage errs as much as the bound allows, or is blind to what decides the ranking.
/// </summary>
internal static class AdversarialVectors
{
    /// <summary>
    /// One component near 1, the rest ~1e-3: with scale 1/127 every small component rounds to code 0, so such stored vectors all
    /// quantise alike and, as queries, lose all their small components in the scan.
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

    /// <summary>
    /// A query whose quantisation error e = q − q̃ points along w = (0, 1, …, 1): component 0 sets the scale (code 127), the others
    /// sit at m + 0.49 steps (m random in −20..20), so each rounds down to m and loses 0.49 of a step in the same direction. The m
    /// are chosen so Σ(m + 0.49) is in [0, 1): q is nearly orthogonal to w, so vectors along +w and −w score alike.
    /// </summary>
    public static float[] Query(VectorFactory factory, int dimension)
    {
        var steps = new int[dimension];
        for (var i = 1; i < dimension; i++)
        {
            steps[i] = factory.Next(41) - 20;
        }

        var excess = (int)Math.Floor(steps.Skip(1).Sum() + 0.49 * (dimension - 1));
        for (var i = 1; excess != 0; i = i % (dimension - 1) + 1)
        {
            var move = Math.Sign(excess);
            if (Math.Abs(steps[i] - move) <= 20)
            {
                steps[i] -= move;
                excess -= move;
            }
        }

        var values = new float[dimension];
        values[0] = 127;
        for (var i = 1; i < dimension; i++)
        {
            values[i] = steps[i] + 0.49f;
        }

        return UnitVector.Normalize(values);
    }

    /// <summary>
    /// Stored vectors that the scan mis-scores by almost φ for <see cref="Query"/>: codes (c₀, ±c, …, ±c), c₀ random in −127..127, the
    /// others all + (along e: under-scored by ≈ φ) or all − (against e: over-scored by ≈ φ), alternately; in half of them those
    /// codes are all 127 (many exact ties), in the other half random in 120..127 (near ties). Their exact scores interleave across both halves.
    /// </summary>
    public static IEnumerable<float[]> AlongQueryError(VectorFactory factory, int dimension, int count)
    {
        for (var n = 0; n < count; n++)
        {
            var sign = n % 2 == 0 ? 1 : -1;
            var values = new float[dimension];
            values[0] = factory.Next(255) - 127;
            for (var i = 1; i < dimension; i++)
            {
                values[i] = sign * (n % 4 < 2 ? 127 : 120 + factory.Next(8));
            }

            yield return UnitVector.Normalize(values);
        }
    }
}
