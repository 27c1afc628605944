namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// Conv2D and depthwise convolutions, plain or fused (BiasAdd then an activation).
/// Filters are re-ordered HWIO → OIHW (depthwise HWCM → (C·M)1HW with group C); pads are TF's, made explicit.
/// </summary>
internal sealed class ConvolutionMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        if (!input.IsNchw)
        {
            throw new NotSupportedException($"{node.Name}: convolution input must be a rank-4 activation.");
        }

        var format = node.Attributes.String("data_format") ?? "NHWC";
        if (format != "NHWC")
        {
            throw new NotSupportedException($"{node.Name}: data_format {format} is not supported.");
        }

        var filter = context.RequireConstant(node.Inputs[1], "filter");
        var depthwise = node.Op.Contains("Depthwise", StringComparison.Ordinal);
        var (kh, kw) = (filter.Shape[0], filter.Shape[1]);
        var channelsIn = input.Shape[3];
        var channelsOut = depthwise ? filter.Shape[2] * filter.Shape[3] : filter.Shape[3];
        var strides = StridesOrOnes(node.Attributes.Ints("strides"));
        var dilations = StridesOrOnes(node.Attributes.Ints("dilations"));
        var padding = node.Attributes.String("padding") ?? "VALID";
        var (outH, top, bottom) = TfPadding.Compute(padding, input.Shape[1], kh, strides.H, dilations.H);
        var (outW, left, right) = TfPadding.Compute(padding, input.Shape[2], kw, strides.W, dilations.W);

        var weights = depthwise ? DepthwiseToOihw(filter) : HwioToOihw(filter);
        var builder = context.Builder;
        var weightName = builder.AddFloatInitializer(node.Name + "/W", weights, channelsOut, depthwise ? 1 : channelsIn, kh, kw);
        var convInputs = new List<string> { input.OnnxName!, weightName };

        var fusedOps = node.Attributes.Strings("fused_ops");
        var activations = fusedOps.AsEnumerable();
        if (fusedOps.FirstOrDefault() == "BiasAdd")
        {
            var bias = context.RequireConstant(node.Inputs[2], "bias");
            convInputs.Add(builder.AddFloatInitializer(node.Name + "/B", bias.AsFloats(), channelsOut));
            activations = fusedOps.Skip(1);
        }
        else if (fusedOps.Length > 0)
        {
            throw new NotSupportedException($"{node.Name}: fused op '{fusedOps[0]}' is not supported (only BiasAdd then an activation).");
        }

        var output = builder.AddNode(
            "Conv",
            convInputs,
            node.Name + (activations.Any() ? "/conv" : ""),
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", strides.H, strides.W),
            OnnxAttribute.Ints("dilations", dilations.H, dilations.W),
            OnnxAttribute.Ints("pads", top, left, bottom, right),
            OnnxAttribute.Int("group", depthwise ? channelsIn : 1));

        foreach (var activation in activations)
        {
            // The fused args are [bias, alpha]: the PReLU slope follows the bias.
            var alpha = activation == "Prelu" ? context.RequireConstant(node.Inputs[convInputs.Count == 3 ? 3 : 2], "PReLU alpha") : null;
            output = FusedActivation.Apply(context, activation, output, isNchw: true, alpha, node.Attributes, node.Name);
        }

        context.Set(node.Name, ImportedValue.Activation(output, [input.Shape[0], outH, outW, channelsOut]));
    }

    private static (int H, int W) StridesOrOnes(long[] nhwc) => nhwc.Length == 4 ? ((int)nhwc[1], (int)nhwc[2]) : (1, 1);

    /// <summary>TF conv filter [H,W,I,O] → ONNX [O,I,H,W].</summary>
    internal static float[] HwioToOihw(TfjsTensor filter) => Layout.Permute4(filter.AsFloats(), filter.Shape, [3, 2, 0, 1]);

    /// <summary>
    /// TF depthwise filter [H,W,C,M] → ONNX [C·M,1,H,W]: output channel c·M+m reads input channel c, as in TF.
    /// [C,M,H,W] in row-major order is exactly that layout.
    /// </summary>
    internal static float[] DepthwiseToOihw(TfjsTensor filter) => Layout.Permute4(filter.AsFloats(), filter.Shape, [2, 3, 0, 1]);
}
