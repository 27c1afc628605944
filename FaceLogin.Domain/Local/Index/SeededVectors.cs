using System.Numerics.Tensors;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// A seeded generator of its own (splitmix64 + Box–Muller), so a collection can be regenerated for the naive check and
/// the numbers do not shift with the runtime's <see cref="Random"/> implementation.
/// </summary>
internal sealed class SeededVectors(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        return new Guid(bytes);
    }

    /// <summary>A uniformly random direction: normalised standard normal components.</summary>
    public void NextUnitVector(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i += 2)
        {
            // (0, 1] so the logarithm is finite.
            var u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
            var u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
            destination[i] = (float)(radius * cos);
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * sin);
            }
        }

        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }
}
