using FaceLogin.Domain.Local.Engine.Import;

namespace FaceLogin.Tests.Local.Engine.Import;

/// <summary>The one 4-D transpose every weight layout change goes through (NHWC → NCHW, HWIO → OIHW, depthwise HWCM → CMHW).</summary>
public sealed class LayoutTests
{
    public static TheoryData<int[]> Permutations() => new([0, 3, 1, 2], [3, 2, 0, 1], [2, 3, 0, 1], [0, 1, 2, 3], [3, 1, 0, 2]);

    [Theory]
    [MemberData(nameof(Permutations))]
    public void Permute4_puts_source_axis_perm_i_at_result_axis_i(int[] perm)
    {
        int[] shape = [2, 3, 4, 5];
        var values = Enumerable.Range(0, 120).Select(v => (float)v).ToArray();

        var result = Layout.Permute4(values, shape, perm);

        int[] resultShape = [shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]];
        var index = new int[4];
        for (var i = 0; i < result.Length; i++)
        {
            // Unravel i in the result's shape, then read the source at the axes those coordinates belong to.
            var rest = i;
            for (var axis = 3; axis >= 0; axis--)
            {
                index[perm[axis]] = rest % resultShape[axis];
                rest /= resultShape[axis];
            }

            var source = (((index[0] * shape[1]) + index[1]) * shape[2] + index[2]) * shape[3] + index[3];
            Assert.Equal(values[source], result[i]);
        }
    }

    [Fact]
    public void Nhwc_to_nchw_then_back_is_the_identity()
    {
        int[] nhwc = [1, 3, 4, 2];
        var values = Enumerable.Range(0, 24).Select(v => v * 0.5f).ToArray();

        var nchw = Layout.TransposeNhwcToNchw(values, nhwc);
        var back = Layout.Permute4(nchw, [1, 2, 3, 4], [0, 2, 3, 1]);

        Assert.Equal(values, back);
        Assert.Equal(values[1], nchw[12]); // channel 1 of pixel (0,0) starts the second 3×4 plane
    }

    [Fact]
    public void Permute4_refuses_a_shape_that_does_not_match_the_values() =>
        Assert.Throws<ArgumentException>(() => Layout.Permute4(new float[10], [1, 2, 3, 4], [0, 1, 2, 3]));
}
