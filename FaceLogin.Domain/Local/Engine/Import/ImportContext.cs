namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// The state of one import: which ONNX value each TF tensor became, and the layout conversions op mappers share.
/// Invariant: every non-constant rank-4 value is stored NCHW.
/// </summary>
internal sealed class ImportContext(OnnxGraphBuilder builder)
{
    private readonly Dictionary<string, ImportedValue> _values = new(StringComparer.Ordinal);

    public OnnxGraphBuilder Builder => builder;

    public ImportedValue Get(string tensorName) =>
        _values.TryGetValue(TensorNames.NodeName(tensorName), out var value)
            ? value
            : throw new InvalidDataException($"Tensor '{tensorName}' is used before it is defined.");

    public void Set(string nodeName, ImportedValue value) => _values[nodeName] = value;

    public TfjsTensor RequireConstant(string tensorName, string role) =>
        Get(tensorName).Constant ?? throw new NotSupportedException($"The {role} '{tensorName}' must be a constant to be imported.");

    /// <summary>The ONNX name of a value in TF layout: constants become initialisers as they are, NCHW activations are transposed back.</summary>
    public string InTfLayout(ImportedValue value, string hint)
    {
        if (value.Constant is { } constant)
        {
            return Materialise(constant, constant.Shape, hint);
        }

        return value.IsNchw
            ? builder.AddNode("Transpose", [value.OnnxName!], hint + "_nhwc", OnnxAttribute.Ints("perm", Layout.NchwToNhwc))
            : value.OnnxName!;
    }

    /// <summary>Wraps a result computed in TF layout, transposing it to NCHW when it is rank 4.</summary>
    public ImportedValue FromTfLayout(string onnxName, int[] shape, string hint)
    {
        if (shape.Length != 4)
        {
            return ImportedValue.Plain(onnxName, shape);
        }

        var nchw = builder.AddNode("Transpose", [onnxName], hint + "_nchw", OnnxAttribute.Ints("perm", Layout.NhwcToNchw));
        return ImportedValue.Activation(nchw, shape);
    }

    /// <summary>
    /// A constant operand for an op whose other operand is NCHW: the constant is broadcast-aligned to rank 4 and
    /// its axes re-ordered, so a per-channel <c>[C]</c> becomes <c>[1,C,1,1]</c>. Scalars stay scalars.
    /// </summary>
    public string ConstantForNchw(TfjsTensor constant, string hint)
    {
        if (constant.ElementCount == 1)
        {
            return Materialise(constant, [], hint);
        }

        var shape = Layout.LeftPad(constant.Shape, 4);
        var values = Layout.TransposeNhwcToNchw(constant.AsFloats(), shape);
        return builder.AddFloatInitializer(hint, values, shape[0], shape[3], shape[1], shape[2]);
    }

    /// <summary>An operand in the layout its partner needs: NCHW-aligned when <paramref name="partnerIsNchw"/>.</summary>
    public string Operand(ImportedValue value, bool partnerIsNchw, string hint)
    {
        if (value.Constant is { } constant)
        {
            return partnerIsNchw ? ConstantForNchw(constant, hint) : Materialise(constant, constant.Shape, hint);
        }

        if (partnerIsNchw && !value.IsNchw && value.ElementCount() != 1)
        {
            throw new NotSupportedException($"Cannot combine an NCHW activation with the rank-{value.Rank} activation {value.OnnxName}.");
        }

        return value.OnnxName!;
    }

    private string Materialise(TfjsTensor constant, int[] shape, string hint) =>
        constant.IsInt
            ? builder.AddInt64Initializer(hint, constant.Ints!.Select(i => (long)i).ToArray(), shape.ToLongs())
            : builder.AddFloatInitializer(hint, constant.Floats!, shape.ToLongs());
}

internal static class ImportedValueExtensions
{
    public static int ElementCount(this ImportedValue value) => value.Shape.Aggregate(1, (a, b) => a * b);
}
