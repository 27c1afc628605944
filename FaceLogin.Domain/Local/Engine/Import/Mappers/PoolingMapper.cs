namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// MaxPool and AvgPool with TF's explicit (asymmetric) 'SAME' pads. TF's average excludes the padding,
/// which is ONNX's default (<c>count_include_pad = 0</c>).
/// </summary>
internal sealed class PoolingMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["MaxPool", "AvgPool"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        if (!input.IsNchw)
        {
            throw new NotSupportedException($"{node.Name}: pooling input must be a rank-4 activation.");
        }

        var ksize = node.Attributes.Ints("ksize");
        var strides = node.Attributes.Ints("strides");
        var (kh, kw) = ((int)ksize[1], (int)ksize[2]);
        var (sh, sw) = ((int)strides[1], (int)strides[2]);
        var padding = node.Attributes.String("padding") ?? "VALID";
        var (outH, top, bottom) = TfPadding.Compute(padding, input.Shape[1], kh, sh);
        var (outW, left, right) = TfPadding.Compute(padding, input.Shape[2], kw, sw);

        var output = context.Builder.AddNode(
            node.Op == "MaxPool" ? "MaxPool" : "AveragePool",
            [input.OnnxName!],
            node.Name,
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", top, left, bottom, right));
        context.Set(node.Name, ImportedValue.Activation(output, [input.Shape[0], outH, outW, input.Shape[3]]));
    }
}
