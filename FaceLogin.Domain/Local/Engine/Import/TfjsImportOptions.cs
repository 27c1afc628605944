namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// How the converted model should look from outside: the input's name and the scaling baked in front of the graph
/// (so every model takes RGB 0..255), and named outputs, each one TF tensor or several concatenated.
/// </summary>
internal sealed record TfjsImportOptions(string InputName, InputScaling Scaling, IReadOnlyList<ImportOutput> Outputs, string Description);

/// <summary>An ONNX output made of one TF tensor, or of several concatenated along <paramref name="ConcatAxis"/> (TF axis order).</summary>
internal sealed record ImportOutput(string Name, IReadOnlyList<string> TfTensors, int ConcatAxis = 1)
{
    public ImportOutput(string name, string tfTensor)
        : this(name, [tfTensor])
    {
    }
}

/// <summary>y = x / <paramref name="Divisor"/> − <paramref name="Subtrahend"/>, applied to the raw input as TF.js callers do before running the model.</summary>
internal sealed record InputScaling(float Divisor, float Subtrahend)
{
    /// <summary>The model already takes 0..255.</summary>
    public static InputScaling None { get; } = new(1f, 0f);

    /// <summary>0..255 → 0..1.</summary>
    public static InputScaling UnitRange { get; } = new(255f, 0f);

    /// <summary>0..255 → −1..1 (x / 127.5 − 1, BlazeFace).</summary>
    public static InputScaling SignedUnitRange { get; } = new(127.5f, 1f);
}
