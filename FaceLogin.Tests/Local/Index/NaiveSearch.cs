using System.Numerics.Tensors;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Tests.Local.Index;

/// <summary>The reference the index must equal: score every vector with a float32 dot product, filter, sort by score then id.</summary>
internal static class NaiveSearch
{
    public static List<VectorMatch> TopK(IEnumerable<KeyValuePair<Guid, float[]>> stored, ReadOnlySpan<float> unitQuery, int k, float minCosine)
    {
        var matches = new List<VectorMatch>();
        foreach (var (id, vector) in stored)
        {
            var cosine = TensorPrimitives.Dot(vector, unitQuery);
            if (cosine >= minCosine)
            {
                matches.Add(new VectorMatch(id, cosine));
            }
        }

        matches.Sort((a, b) => b.Cosine != a.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.Id.CompareTo(b.Id));
        return matches.Take(k).ToList();
    }
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
