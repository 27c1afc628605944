using static FaceLogin.Tests.Local.Engine.Import.ConvolutionMapperTests;
using static FaceLogin.Tests.Local.Engine.Import.NhwcReference;

namespace FaceLogin.Tests.Local.Engine.Import;

public sealed class PoolingAndActivationMapperTests
{
    public static TheoryData<string, string, int, int, int> Pools() => new()
    {
        { "MaxPool", "VALID", 2, 2, 8 },
        { "MaxPool", "SAME", 2, 2, 7 },
        { "MaxPool", "SAME", 3, 2, 8 },
        { "AvgPool", "VALID", 2, 2, 7 },
        { "AvgPool", "SAME", 3, 2, 8 }, // padded windows: TF averages only the real pixels
        { "AvgPool", "SAME", 3, 1, 5 },
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void Pooling_matches_TF_windows(string op, string padding, int kernel, int stride, int size)
    {
        int[] shape = [1, size, size, 2];
        var graph = new SyntheticTfjsGraph(shape);
        graph.Node("pool", op, [SyntheticTfjsGraph.Input], new()
        {
            ["ksize"] = TfAttr.Ints(1, kernel, kernel, 1),
            ["strides"] = TfAttr.Ints(1, stride, stride, 1),
            ["padding"] = TfAttr.Str(padding),
        });
        var input = Random(size * size * 2, 11);

        var (actual, actualShape) = graph.Run("pool", input);

        var (expected, expectedShape) = Pool(input, shape, kernel, stride, padding, max: op == "MaxPool");
        Assert.Equal(expectedShape, actualShape);
        AssertClose(expected, actual);
    }

    public static TheoryData<string> Unary() => ["Relu", "Relu6", "Sigmoid", "Tanh", "Elu", "LeakyRelu"];

    [Theory]
    [MemberData(nameof(Unary))]
    public void Unary_activation_is_applied_elementwise(string op)
    {
        var graph = new SyntheticTfjsGraph(1, 3, 3, 2);
        graph.Node("act", op, [SyntheticTfjsGraph.Input], new() { ["alpha"] = TfAttr.Float(0.2f) });
        var input = Random(18, 12).Select(v => v * 8).ToArray();

        var (actual, _) = graph.Run("act", input);

        AssertClose(input.Select(v => Activate(op, v, 0)).ToArray(), actual);
    }

    [Fact]
    public void Prelu_uses_one_slope_per_channel()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 3);
        var alpha = new[] { 0.1f, 0.5f, 2f };
        graph.Const("alpha", [1, 1, 3], alpha);
        graph.Node("prelu", "Prelu", [SyntheticTfjsGraph.Input, "alpha"]);
        var input = Random(12, 13);

        var (actual, _) = graph.Run("prelu", input);

        AssertClose(PerChannel(input, 3, (v, c) => v >= 0 ? v : alpha[c] * v), actual);
    }

    [Fact]
    public void Softmax_of_an_image_tensor_normalises_TFs_last_axis_which_is_NCHW_channels()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 3, 4);
        graph.Node("softmax", "Softmax", [SyntheticTfjsGraph.Input]);
        var input = Random(24, 14).Select(v => v * 3).ToArray();

        var (actual, shape) = graph.Run("softmax", input);

        Assert.Equal([1, 2, 3, 4], shape);
        AssertClose(Softmax(input, 4), actual);
    }

    [Fact]
    public void Identity_passes_the_tensor_through()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 2);
        graph.Node("relu", "Relu", [SyntheticTfjsGraph.Input]);
        graph.Node("Identity", "Identity", ["relu"]);
        var input = Random(8, 15);

        var (actual, _) = graph.Run("Identity:0", input);

        AssertClose(input.Select(v => Math.Max(0, v)).ToArray(), actual);
    }
}
