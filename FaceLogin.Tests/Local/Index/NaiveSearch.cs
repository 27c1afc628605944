using System.Numerics.Tensors;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// The reference the index must equal: every vector as the index stores it (<see cref="StoredVector"/>: its int8 quantisation
/// x̂ = s·c), scored with a float32 cosine, filtered, sorted by score then id.
/// </summary>
internal static class NaiveSearch
{
    /// <param name="stored">The vectors as added to the index (float32, unit length); each is quantised here as the index does.</param>
    public static List<VectorMatch> TopK(IEnumerable<KeyValuePair<Guid, float[]>> stored, ReadOnlySpan<float> unitQuery, int k, float minCosine) =>
        TopK(StoredVector.All(stored), unitQuery, k, minCosine);

    public static List<VectorMatch> TopK(IEnumerable<StoredVector> stored, ReadOnlySpan<float> unitQuery, int k, float minCosine)
    {
        var matches = new List<VectorMatch>();
        foreach (var vector in stored)
        {
            var cosine = vector.Cosine(unitQuery);
            if (cosine >= minCosine)
            {
                matches.Add(new VectorMatch(vector.Id, cosine));
            }
        }

        matches.Sort((a, b) => b.Cosine != a.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.Id.CompareTo(b.Id));
        return matches.Take(k).ToList();
    }
}

/// <summary>
/// A vector as the index stores it: x̂ = <see cref="Scale"/>·c, c the int8 codes of <see cref="Int8Quantization.QuantizeStored"/>
/// (here as floats, which holds them exactly). Its cosine with a unit query is (q·x̂)/‖x̂‖ = (q·c)/‖c‖, computed in float32 as a
/// float dot product divided by ‖c‖ rounded to float: the scale cancels.
/// </summary>
internal sealed record StoredVector(Guid Id, float Scale, float[] Codes, float CodeNorm)
{
    public static StoredVector Of(Guid id, float[] unitVector)
    {
        var codes = new sbyte[Int8Quantization.PaddedLength(unitVector.Length)];
        var scale = Int8Quantization.QuantizeStored(unitVector, codes);
        var floats = codes.Take(unitVector.Length).Select(c => (float)c).ToArray();
        var sumOfSquares = floats.Sum(c => (double)c * c);
        return new StoredVector(id, scale, floats, (float)Math.Sqrt(sumOfSquares));
    }

    public static List<StoredVector> All(IEnumerable<KeyValuePair<Guid, float[]>> stored) =>
        stored.Select(pair => Of(pair.Key, pair.Value)).ToList();

    public float Cosine(ReadOnlySpan<float> unitQuery) => TensorPrimitives.Dot(Codes, unitQuery) / CodeNorm;

    /// <summary>x̂ / ‖x̂‖, the query of a search by this vector's id.</summary>
    public float[] Direction() => UnitVector.Normalize(Codes);

    /// <summary>x̂ = s·c, dequantised to floats (each component rounded once).</summary>
    public float[] Dequantized() => Codes.Select(c => Scale * c).ToArray();
}

/// <summary>Seeded random vectors for index tests.</summary>
internal sealed class VectorFactory(int seed)
{
    private readonly Random _random = new(seed);

    public Guid NextId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>A random direction (normalised Gaussian components), as the index stores it.</summary>
    public float[] Unit(int dimension) => UnitVector.Normalize(Gaussian(dimension));

    public float[] Gaussian(int dimension)
    {
        var values = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble()));
        }

        return values;
    }

    /// <summary><paramref name="source"/> plus Gaussian noise of about <paramref name="noiseNorm"/>, normalised.</summary>
    public float[] Near(float[] source, float noiseNorm)
    {
        var noise = Unit(source.Length);
        var result = new float[source.Length];
        TensorPrimitives.MultiplyAdd(noise, noiseNorm, source, result);
        return UnitVector.Normalize(result);
    }

    public double NextDouble() => _random.NextDouble();

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
