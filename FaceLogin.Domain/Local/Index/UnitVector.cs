using System.Numerics.Tensors;

namespace FaceLogin.Domain.Local.Index;

/// <summary>L2 normalisation, done in one place so that what is stored, what is searched and what tests compare are the same bits.</summary>
public static class UnitVector
{
    /// <summary>A new array holding <paramref name="vector"/> / ‖<paramref name="vector"/>‖.</summary>
    /// <exception cref="ArgumentException">The vector is empty, zero, or holds NaN or infinity.</exception>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            throw new ArgumentException("An empty vector has no direction.", nameof(vector));
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm) || norm == 0f)
        {
            throw new ArgumentException("A vector with a zero, NaN or infinite norm cannot be normalised.", nameof(vector));
        }

        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, unit);
        return unit;
    }
}
