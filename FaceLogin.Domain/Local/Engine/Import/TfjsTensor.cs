namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// A decoded weight: its TF shape and values. Integer tensors (shapes, axes, paddings) keep exact ints;
/// everything else is float32, already de-quantised.
/// </summary>
internal sealed record TfjsTensor(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    public bool IsInt => Ints is not null;

    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);

    public float[] AsFloats() => Floats ?? Ints!.Select(i => (float)i).ToArray();

    public int[] AsInts() => Ints ?? Floats!.Select(f => (int)f).ToArray();

    public static TfjsTensor Float(string name, int[] shape, float[] values) => new(name, shape, values, null);

    public static TfjsTensor Int(string name, int[] shape, int[] values) => new(name, shape, null, values);
}
