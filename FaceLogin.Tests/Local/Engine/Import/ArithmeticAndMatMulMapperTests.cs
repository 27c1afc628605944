using static FaceLogin.Tests.Local.Engine.Import.ConvolutionMapperTests;
using static FaceLogin.Tests.Local.Engine.Import.NhwcReference;

namespace FaceLogin.Tests.Local.Engine.Import;

public sealed class ArithmeticAndMatMulMapperTests
{
    public static TheoryData<string> BinaryOps() => ["Add", "AddV2", "BiasAdd", "Sub", "Mul", "RealDiv", "Minimum", "Maximum"];

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Per_channel_constant_broadcasts_over_the_channel_axis(string op)
    {
        var graph = new SyntheticTfjsGraph(1, 3, 2, 4);
        var perChannel = new[] { 0.5f, -1.5f, 2f, 0.25f };
        graph.Const("c", [4], perChannel);
        graph.Node("op", op, [SyntheticTfjsGraph.Input, "c"]);
        var input = Random(24, 21);

        var (actual, shape) = graph.Run("op", input);

        Assert.Equal([1, 3, 2, 4], shape);
        AssertClose(PerChannel(input, 4, (v, c) => Apply(op, v, perChannel[c])), actual);
    }

    [Fact]
    public void Scalar_constant_and_two_activations_combine()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 3);
        graph.Const("three", [], [3f]);
        graph.Node("scaled", "Mul", ["three", SyntheticTfjsGraph.Input]); // the constant on the left
        graph.Node("relu", "Relu", [SyntheticTfjsGraph.Input]);
        graph.Node("sum", "AddV2", ["scaled", "relu"]);
        var input = Random(12, 22);

        var (actual, _) = graph.Run("sum", input);

        AssertClose(input.Select(v => (3 * v) + Math.Max(0, v)).ToArray(), actual);
    }

    [Fact]
    public void Reshape_flattens_in_TF_element_order_then_FusedMatMul_adds_bias_and_relu()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 3, 2);
        var kernel = Random(12 * 5, 23);
        var bias = Random(5, 24);
        graph.IntConst("flat_shape", [2], [-1, 12]);
        graph.Node("flat", "Reshape", [SyntheticTfjsGraph.Input, "flat_shape"]);
        graph.Const("kernel", [12, 5], kernel);
        graph.Const("bias", [5], bias);
        graph.Node("dense", "_FusedMatMul", ["flat", "kernel", "bias"], new()
        {
            ["fused_ops"] = TfAttr.Strs("BiasAdd", "Relu"),
            ["num_args"] = TfAttr.Int(1),
            ["transpose_a"] = TfAttr.Bool(false),
            ["transpose_b"] = TfAttr.Bool(false),
        });
        var input = Random(12, 25);

        var (actual, shape) = graph.Run("dense", input);

        Assert.Equal([1, 5], shape);
        var expected = MatMul(input, 1, 12, kernel, 5).Select((v, i) => Math.Max(0, v + bias[i])).ToArray();
        AssertClose(expected, actual);
    }

    [Fact]
    public void MatMul_with_transpose_b_uses_the_transposed_kernel()
    {
        var graph = new SyntheticTfjsGraph(1, 1, 1, 4);
        var kernelT = Random(3 * 4, 26); // [3,4], used as its transpose [4,3]
        graph.IntConst("shape", [2], [1, 4]);
        graph.Node("flat", "Reshape", [SyntheticTfjsGraph.Input, "shape"]);
        graph.Const("kernel", [3, 4], kernelT);
        graph.Node("mm", "MatMul", ["flat", "kernel"], new() { ["transpose_b"] = TfAttr.Bool(true) });
        var input = Random(4, 27);

        var (actual, _) = graph.Run("mm", input);

        var kernel = new float[12];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                kernel[(c * 3) + r] = kernelT[(r * 4) + c];
            }
        }

        AssertClose(MatMul(input, 1, 4, kernel, 3), actual);
    }

    private static float Apply(string op, float a, float b) => op switch
    {
        "Add" or "AddV2" or "BiasAdd" => a + b,
        "Sub" => a - b,
        "Mul" => a * b,
        "RealDiv" => a / b,
        "Minimum" => Math.Min(a, b),
        "Maximum" => Math.Max(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
