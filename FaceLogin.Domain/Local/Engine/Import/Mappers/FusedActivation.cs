namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// The activations TF.js fuses into <c>_FusedConv2D</c>, <c>FusedDepthwiseConv2dNative</c> and <c>_FusedMatMul</c>
/// (the <c>fused_ops</c> after BiasAdd), and the same activations as stand-alone ops.
/// </summary>
internal static class FusedActivation
{
    /// <param name="alpha">The PReLU slope (the node's extra input), when the activation is Prelu.</param>
    public static string Apply(ImportContext context, string activation, string input, bool isNchw, TfjsTensor? alpha, TfjsNodeAttributes attributes, string hint)
    {
        var builder = context.Builder;
        switch (activation)
        {
            case "Relu":
                return builder.AddNode("Relu", [input], hint);
            case "Relu6":
                return builder.AddNode("Clip", [input, Scalar(builder, 0f, hint + "_min"), Scalar(builder, 6f, hint + "_max")], hint);
            case "Sigmoid":
                return builder.AddNode("Sigmoid", [input], hint);
            case "Tanh":
                return builder.AddNode("Tanh", [input], hint);
            case "Elu":
                return builder.AddNode("Elu", [input], hint, OnnxAttribute.Float("alpha", 1f));
            case "LeakyRelu":
                var slope = attributes.Float("leakyrelu_alpha") ?? attributes.Float("alpha") ?? 0.2f;
                return builder.AddNode("LeakyRelu", [input], hint, OnnxAttribute.Float("alpha", slope));
            case "Prelu":
                var slopes = alpha ?? throw new InvalidDataException($"{hint}: Prelu without its alpha input.");
                return builder.AddNode("PRelu", [input, SlopeOperand(context, slopes, isNchw, hint + "_alpha")], hint);
            default:
                throw new NotSupportedException($"{hint}: fused activation '{activation}' is not supported.");
        }
    }

    /// <summary>ONNX PRelu broadcasts the slope against NCHW: per-channel <c>[C]</c> (or TF's <c>[1,1,C]</c>) becomes <c>[C,1,1]</c>.</summary>
    private static string SlopeOperand(ImportContext context, TfjsTensor slopes, bool isNchw, string hint)
    {
        var values = slopes.AsFloats();
        if (!isNchw || values.Length == 1)
        {
            return context.Builder.AddFloatInitializer(hint, values, slopes.Shape.ToLongs());
        }

        return context.Builder.AddFloatInitializer(hint, values, values.Length, 1, 1);
    }

    private static string Scalar(OnnxGraphBuilder builder, float value, string hint) => builder.AddFloatInitializer(hint, [value]);
}
