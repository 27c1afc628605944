using static FaceLogin.Tests.Local.Engine.Import.NhwcReference;

namespace FaceLogin.Tests.Local.Engine.Import;

public sealed class ConvolutionMapperTests
{
    public static TheoryData<string, int, int, int> Windows() => new()
    {
        // padding, stride, input size, kernel: odd and even sizes so that stride 2 SAME needs asymmetric pads.
        { "SAME", 1, 7, 3 },
        { "SAME", 2, 8, 3 },
        { "SAME", 2, 7, 3 },
        { "SAME", 2, 9, 5 },
        { "VALID", 1, 7, 3 },
        { "VALID", 2, 8, 3 },
        { "VALID", 2, 9, 5 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Conv2D_matches_TF_windows(string padding, int stride, int size, int kernel)
    {
        int[] shape = [1, size, size, 3];
        var graph = new SyntheticTfjsGraph(shape);
        var filter = Random(kernel * kernel * 3 * 4, 1);
        graph.Const("w", [kernel, kernel, 3, 4], filter);
        graph.Node("conv", "Conv2D", [SyntheticTfjsGraph.Input, "w"], ConvAttributes(stride, padding));
        var input = Random(size * size * 3, 2);

        var (actual, actualShape) = graph.Run("conv", input);

        var (expected, expectedShape) = Conv(input, shape, filter, kernel, kernel, 4, stride, padding, depthwise: false);
        Assert.Equal(expectedShape, actualShape);
        AssertClose(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void DepthwiseConv2dNative_matches_TF_windows(string padding, int stride, int size, int kernel)
    {
        int[] shape = [1, size, size, 3];
        var graph = new SyntheticTfjsGraph(shape);
        var filter = Random(kernel * kernel * 3 * 2, 3);
        graph.Const("w", [kernel, kernel, 3, 2], filter); // channel multiplier 2
        graph.Node("dw", "DepthwiseConv2dNative", [SyntheticTfjsGraph.Input, "w"], ConvAttributes(stride, padding));
        var input = Random(size * size * 3, 4);

        var (actual, actualShape) = graph.Run("dw", input);

        var (expected, expectedShape) = Conv(input, shape, filter, kernel, kernel, 2, stride, padding, depthwise: true);
        Assert.Equal(expectedShape, actualShape);
        AssertClose(expected, actual);
    }

    public static TheoryData<string> Activations() => ["Relu", "Relu6", "Prelu", "LeakyRelu", "Elu"];

    [Theory]
    [MemberData(nameof(Activations))]
    public void FusedConv2D_adds_bias_then_applies_the_activation(string activation)
    {
        int[] shape = [1, 6, 6, 2];
        var graph = new SyntheticTfjsGraph(shape);
        var filter = Random(3 * 3 * 2 * 3, 5).Select(v => v * 4).ToArray(); // large enough for Relu6 to clip
        var bias = new[] { 0.5f, -0.25f, 1f };
        var alpha = new[] { 0.1f, 0.2f, 0.3f };
        graph.Const("w", [3, 3, 2, 3], filter);
        graph.Const("b", [3], bias);
        var inputs = new List<string> { SyntheticTfjsGraph.Input, "w", "b" };
        if (activation == "Prelu")
        {
            inputs.Add(graph.Const("alpha", [1, 1, 3], alpha));
        }

        var attributes = ConvAttributes(2, "SAME");
        attributes["fused_ops"] = TfAttr.Strs("BiasAdd", activation);
        attributes["num_args"] = TfAttr.Int(activation == "Prelu" ? 2 : 1);
        attributes["leakyrelu_alpha"] = TfAttr.Float(0.2f);
        graph.Node("fused", "_FusedConv2D", [.. inputs], attributes);
        var input = Random(6 * 6 * 2, 6);

        var (actual, _) = graph.Run("fused", input);

        var (conv, _) = Conv(input, shape, filter, 3, 3, 3, 2, "SAME", depthwise: false);
        var expected = PerChannel(conv, 3, (v, c) => Activate(activation, v + bias[c], alpha[c]));
        Assert.Contains(expected, v => v < 0 || v >= 6); // the activation matters on these values
        AssertClose(expected, actual);
    }

    [Fact]
    public void FusedDepthwiseConv2dNative_adds_bias_then_relu()
    {
        int[] shape = [1, 5, 5, 2];
        var graph = new SyntheticTfjsGraph(shape);
        var filter = Random(3 * 3 * 2, 7);
        var bias = new[] { -0.2f, 0.3f };
        graph.Const("w", [3, 3, 2, 1], filter);
        graph.Const("b", [2], bias);
        var attributes = ConvAttributes(1, "SAME");
        attributes["fused_ops"] = TfAttr.Strs("BiasAdd", "Relu");
        attributes["num_args"] = TfAttr.Int(1);
        graph.Node("fused", "FusedDepthwiseConv2dNative", [SyntheticTfjsGraph.Input, "w", "b"], attributes);
        var input = Random(5 * 5 * 2, 8);

        var (actual, _) = graph.Run("fused", input);

        var (conv, _) = Conv(input, shape, filter, 3, 3, 1, 1, "SAME", depthwise: true);
        AssertClose(PerChannel(conv, 2, (v, c) => Math.Max(0, v + bias[c])), actual);
    }

    internal static float Activate(string activation, float v, float alpha) => activation switch
    {
        "Relu" => Math.Max(0, v),
        "Relu6" => Math.Clamp(v, 0, 6),
        "Prelu" => v >= 0 ? v : alpha * v,
        "LeakyRelu" => v >= 0 ? v : 0.2f * v,
        "Elu" => v >= 0 ? v : MathF.Exp(v) - 1,
        "Sigmoid" => 1 / (1 + MathF.Exp(-v)),
        "Tanh" => MathF.Tanh(v),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    internal static System.Text.Json.Nodes.JsonObject ConvAttributes(int stride, string padding) => new()
    {
        ["strides"] = TfAttr.Ints(1, stride, stride, 1),
        ["padding"] = TfAttr.Str(padding),
        ["dilations"] = TfAttr.Ints(1, 1, 1, 1),
        ["data_format"] = TfAttr.Str("NHWC"),
    };

    internal static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
