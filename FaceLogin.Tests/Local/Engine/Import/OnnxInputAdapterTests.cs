using FaceLogin.Domain.Local.Engine.Import;
using FaceLogin.Domain.Local.Engine.Import.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceLogin.Tests.Local.Engine.Import;

/// <summary>
/// The adapter that gives shipped NCHW models the house input (image, NHWC, RGB 0..255): checked on tiny graphs that
/// expose their input unchanged (PyTorch's <c>x.view(1, −1)</c>), so the output is exactly what the network would see.
/// </summary>
public sealed class OnnxInputAdapterTests
{
    [Fact]
    public void Bgr_scaling_reaches_the_network_in_channel_first_order_and_the_batch_is_freed()
    {
        using var session = Adapted(channels: 3, new InputAdaptation(ChannelOrder.Bgr, Mean: 127f, Divisor: 128f, FreeBatch: true));
        var pixels = Pixels(batch: 2, channels: 3);

        var output = Run(session, pixels, batch: 2);

        Assert.Equal([2, 3 * H * W], output.Dimensions.ToArray());
        for (var b = 0; b < 2; b++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < H; y++)
                {
                    for (var x = 0; x < W; x++)
                    {
                        // The network's channel c is B, G, R for c = 0, 1, 2: the RGB input's channel 2 − c.
                        var expected = (pixels[b, y, x, 2 - c] - 127f) / 128f;
                        Assert.Equal(expected, output[b, (c * H + y) * W + x], 5);
                    }
                }
            }
        }
    }

    [Fact]
    public void Grey_is_opencv_luma_scaled()
    {
        using var session = Adapted(channels: 1, new InputAdaptation(ChannelOrder.Grey, Mean: 0f, Divisor: 256f, FreeBatch: true));
        var pixels = Pixels(batch: 1, channels: 3);

        var output = Run(session, pixels, batch: 1);

        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var luma = 0.299f * pixels[0, y, x, 0] + 0.587f * pixels[0, y, x, 1] + 0.114f * pixels[0, y, x, 2];
                Assert.Equal(luma / 256f, output[0, y * W + x], 5);
            }
        }
    }

    [Fact]
    public void Without_freeing_the_batch_the_input_keeps_the_shipped_batch_of_one()
    {
        using var session = Adapted(channels: 3, new InputAdaptation(ChannelOrder.Rgb, Mean: 0f, Divisor: 1f, FreeBatch: false));

        Assert.Equal([1, H, W, 3], session.InputMetadata["image"].Dimensions);
        var pixels = Pixels(batch: 1, channels: 3);
        var output = Run(session, pixels, batch: 1);
        Assert.Equal(pixels[0, 1, 2, 1], output[0, (1 * H + 1) * W + 2]);
    }

    [Fact]
    public void A_model_whose_input_cannot_take_the_adaptation_is_refused()
    {
        var model = ViewAsRow(channels: 1);

        var error = Assert.Throws<InvalidDataException>(() =>
            OnnxInputAdapter.Adapt(model, "image", new InputAdaptation(ChannelOrder.Bgr, 0f, 1f, FreeBatch: false), "test"));

        Assert.Contains("1 channels", error.Message, StringComparison.Ordinal);
    }

    private const int H = 3;
    private const int W = 4;

    private static InferenceSession Adapted(int channels, InputAdaptation adaptation)
    {
        var model = OnnxInputAdapter.Adapt(ViewAsRow(channels), "image", adaptation, "adapted for a test");
        return new InferenceSession(model.ToByteArray());
    }

    /// <summary>input [1,C,H,W] → Reshape(input, [1, −1]) → output [1, C·H·W], as PyTorch exports a final view.</summary>
    private static Onnx.ModelProto ViewAsRow(int channels)
    {
        var builder = new OnnxGraphBuilder("view");
        var input = builder.AddInput("input", 1, channels, H, W);
        var shape = builder.AddInt64Initializer("shape", [1, -1], 2);
        var flat = builder.AddNode("Reshape", [input, shape], "flat");
        builder.AddOutput(flat, "output", 1, channels * H * W);
        return builder.Build("test");
    }

    private static DenseTensor<float> Pixels(int batch, int channels)
    {
        var random = new Random(11);
        var tensor = new DenseTensor<float>([batch, H, W, channels]);
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor.SetValue(i, random.Next(256));
        }

        return tensor;
    }

    private static Tensor<float> Run(InferenceSession session, DenseTensor<float> pixels, int batch)
    {
        Assert.Equal(batch, pixels.Dimensions[0]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", pixels)]);
        return results.Single().AsTensor<float>().ToDenseTensor();
    }
}
