using static FaceLogin.Tests.Local.Engine.Import.ConvolutionMapperTests;
using static FaceLogin.Tests.Local.Engine.Import.NhwcReference;

namespace FaceLogin.Tests.Local.Engine.Import;

public sealed class ShapeOpMapperTests
{
    private static float At(float[] x, int[] shape, int y, int xx, int c) => x[(((y * shape[2]) + xx) * shape[3]) + c];

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ConcatV2_joins_on_the_TF_axis(int axis)
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 2);
        graph.Node("relu", "Relu", [SyntheticTfjsGraph.Input]);
        graph.IntConst("axis", [], [axis]);
        graph.Node("concat", "ConcatV2", [SyntheticTfjsGraph.Input, "relu", "axis"]);
        var input = Random(8, 31);
        var relu = input.Select(v => Math.Max(0, v)).ToArray();

        var (actual, shape) = graph.Run("concat", input);

        int[] half = [1, 2, 2, 2];
        var expected = new List<float>();
        if (axis == 1)
        {
            Assert.Equal([1, 4, 2, 2], shape);
            expected.AddRange(input);
            expected.AddRange(relu);
        }
        else
        {
            Assert.Equal([1, 2, 2, 4], shape);
            for (var y = 0; y < 2; y++)
            {
                for (var x = 0; x < 2; x++)
                {
                    expected.AddRange(Enumerable.Range(0, 2).Select(c => At(input, half, y, x, c)));
                    expected.AddRange(Enumerable.Range(0, 2).Select(c => At(relu, half, y, x, c)));
                }
            }
        }

        AssertClose([.. expected], actual);
    }

    [Fact]
    public void Pad_adds_zeros_on_each_TF_axis_asymmetrically()
    {
        int[] shape = [1, 2, 3, 2];
        var graph = new SyntheticTfjsGraph(shape);
        graph.IntConst("paddings", [4, 2], [0, 0, 1, 0, 0, 2, 0, 3]); // H: 1 before; W: 2 after; C: 3 after (BlazeFace's channel padding)
        graph.Node("pad", "Pad", [SyntheticTfjsGraph.Input, "paddings"]);
        var input = Random(12, 32);

        var (actual, actualShape) = graph.Run("pad", input);

        Assert.Equal([1, 3, 5, 5], actualShape);
        var expected = new float[3 * 5 * 5];
        for (var y = 0; y < 2; y++)
        {
            for (var x = 0; x < 3; x++)
            {
                for (var c = 0; c < 2; c++)
                {
                    expected[((((y + 1) * 5) + x) * 5) + c] = At(input, shape, y, x, c);
                }
            }
        }

        AssertClose(expected, actual);
    }

    /// <summary>Review N3: a padded constant must reach later ops padded (the Pad node used to be dead and the constant read as it was).</summary>
    [Fact]
    public void Pad_of_a_constant_reaches_later_ops_padded()
    {
        int[] shape = [1, 3, 3, 2];
        int[] constantShape = [1, 2, 2, 2];
        var graph = new SyntheticTfjsGraph(shape);
        var constant = Random(8, 36);
        graph.Const("bias", constantShape, constant);
        graph.IntConst("paddings", [4, 2], [0, 0, 1, 0, 0, 1, 0, 0]); // H: 1 before; W: 1 after → [1,3,3,2]
        graph.Node("padded", "Pad", ["bias", "paddings"]);
        graph.Node("sum", "AddV2", [SyntheticTfjsGraph.Input, "padded"]);
        var input = Random(18, 37);

        var (actual, actualShape) = graph.Run("sum", input);

        Assert.Equal(shape, actualShape);
        var expected = new float[18];
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 3; x++)
            {
                for (var c = 0; c < 2; c++)
                {
                    var padded = y >= 1 && x < 2 ? At(constant, constantShape, y - 1, x, c) : 0f;
                    expected[(((y * 3) + x) * 2) + c] = At(input, shape, y, x, c) + padded;
                }
            }
        }

        AssertClose(expected, actual);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mean_over_height_and_width_is_global_average_pooling(bool keepDims)
    {
        int[] shape = [1, 3, 2, 4];
        var graph = new SyntheticTfjsGraph(shape);
        graph.IntConst("axes", [2], [1, 2]);
        graph.Node("mean", "Mean", [SyntheticTfjsGraph.Input, "axes"], new() { ["keep_dims"] = TfAttr.Bool(keepDims) });
        var input = Random(24, 33);

        var (actual, actualShape) = graph.Run("mean", input);

        Assert.Equal(keepDims ? [1, 1, 1, 4] : [1, 4], actualShape);
        var expected = Enumerable.Range(0, 4).Select(c => input.Where((_, i) => i % 4 == c).Average()).ToArray();
        AssertClose(expected, actual);
    }

    [Fact]
    public void Sum_over_height_alone_keeps_TF_axis_order()
    {
        int[] shape = [1, 3, 2, 4];
        var graph = new SyntheticTfjsGraph(shape);
        graph.IntConst("axes", [1], [1]);
        graph.Node("sum", "Sum", [SyntheticTfjsGraph.Input, "axes"], new() { ["keep_dims"] = TfAttr.Bool(false) });
        var input = Random(24, 34);

        var (actual, actualShape) = graph.Run("sum", input);

        Assert.Equal([1, 2, 4], actualShape);
        var expected = new float[8];
        for (var x = 0; x < 2; x++)
        {
            for (var c = 0; c < 4; c++)
            {
                expected[(x * 4) + c] = Enumerable.Range(0, 3).Sum(y => At(input, shape, y, x, c));
            }
        }

        AssertClose(expected, actual);
    }

    [Fact]
    public void Reshape_to_rank_3_and_Squeeze_follow_TF_element_order()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 3);
        graph.IntConst("shape", [3], [1, 4, 3]); // BlazeFace-style [1, anchors, values]
        graph.Node("rows", "Reshape", [SyntheticTfjsGraph.Input, "shape"]);
        graph.Node("squeezed", "Squeeze", ["rows"], new() { ["squeeze_dims"] = TfAttr.Ints(0) });
        var input = Random(12, 35);

        var (actual, shape) = graph.Run("squeezed", input);

        Assert.Equal([4, 3], shape);
        AssertClose(input, actual); // NHWC order is row-major [anchor, value]: the same sequence
    }

    [Fact]
    public void Concat_the_old_op_takes_its_axis_first()
    {
        var graph = new SyntheticTfjsGraph(1, 2, 2, 2);
        graph.Node("relu", "Relu", [SyntheticTfjsGraph.Input]);
        graph.IntConst("axis", [], [3]);
        graph.Node("concat", "Concat", ["axis", "relu", SyntheticTfjsGraph.Input]);
        var input = Random(8, 38);
        var relu = input.Select(v => Math.Max(0, v)).ToArray();

        var (actual, shape) = graph.Run("concat", input);

        Assert.Equal([1, 2, 2, 4], shape);
        int[] half = [1, 2, 2, 2];
        var expected = new List<float>();
        for (var y = 0; y < 2; y++)
        {
            for (var x = 0; x < 2; x++)
            {
                expected.AddRange(Enumerable.Range(0, 2).Select(c => At(relu, half, y, x, c)));
                expected.AddRange(Enumerable.Range(0, 2).Select(c => At(input, half, y, x, c)));
            }
        }

        AssertClose([.. expected], actual);
    }

    [Fact]
    public void PadV2_fills_with_its_constant_value()
    {
        int[] shape = [1, 1, 2, 1];
        var graph = new SyntheticTfjsGraph(shape);
        graph.IntConst("paddings", [4, 2], [0, 0, 0, 1, 1, 0, 0, 0]); // H: 1 after; W: 1 before
        graph.Const("fill", [], [-7.5f]);
        graph.Node("pad", "PadV2", [SyntheticTfjsGraph.Input, "paddings", "fill"]);

        var (actual, actualShape) = graph.Run("pad", [1f, 2f]);

        Assert.Equal([1, 2, 3, 1], actualShape);
        AssertClose([-7.5f, 1f, 2f, -7.5f, -7.5f, -7.5f], actual);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Max_over_channels_keeps_TF_axis_order(bool keepDims)
    {
        int[] shape = [1, 3, 2, 4];
        var graph = new SyntheticTfjsGraph(shape);
        graph.Node("relu", "Relu", [SyntheticTfjsGraph.Input]);
        graph.IntConst("axes", [1], [-1]);
        graph.Node("max", "Max", ["relu", "axes"], new() { ["keep_dims"] = TfAttr.Bool(keepDims) });
        var input = Random(24, 39);

        var (actual, actualShape) = graph.Run("max", input);

        Assert.Equal(keepDims ? [1, 3, 2, 1] : [1, 3, 2], actualShape);
        var expected = new float[6];
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 2; x++)
            {
                expected[(y * 2) + x] = Enumerable.Range(0, 4).Max(c => Math.Max(0, At(input, shape, y, x, c)));
            }
        }

        AssertClose(expected, actual);
    }
}
