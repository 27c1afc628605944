namespace FaceLogin.Domain.Local.Engine.Import.FaceApi;

/// <summary>
/// Builds dlib's face-recognition ResNet (<c>dlib_face_recognition_resnet_model_v1</c>) from face-api's
/// <c>face_recognition_model</c> weights, following face-api's <c>src/faceRecognitionNet/</c>:
/// conv 7×7/2 VALID + scale + ReLU, max-pool 3×3/2; residual blocks (3×3 SAME convs with scale, ReLU between, identity add, ReLU);
/// down-sampling blocks (first conv 3×3/2 VALID; shortcut = 2×2/2 average pool, zero channels appended; the main path
/// zero-padded at bottom/right when it comes out smaller); 32×3, 64↓+64×3, 128↓+128×2, 256↓+256×2, 256↓;
/// global mean; FC 256→128 without bias. Each conv's bias and following scale layer fold into the conv:
/// W' = W·s, b' = b·s + t.
/// </summary>
internal sealed class DlibResNetBuilder(FaceApiWeights weights)
{
    public const int InputSize = 150;

    private static readonly (string Name, bool Down)[] Blocks =
    [
        ("conv32_1", false), ("conv32_2", false), ("conv32_3", false),
        ("conv64_down", true), ("conv64_1", false), ("conv64_2", false), ("conv64_3", false),
        ("conv128_down", true), ("conv128_1", false), ("conv128_2", false),
        ("conv256_down", true), ("conv256_1", false), ("conv256_2", false),
        ("conv256_down_out", true),
    ];

    public OnnxGraphBuilder Build()
    {
        var builder = new OnnxGraphBuilder("dlib_resnet");
        var x = FaceApiLayers.NormalisedInput(builder, InputSize);
        var size = InputSize;

        x = builder.AddNode("Relu", [ScaledConv(builder, x, "conv32_down", stride: 2, ref size, same: false)], "conv32_down/relu");
        x = builder.AddNode(
            "MaxPool", [x], "pool",
            OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 0, 0, 0, 0));
        size = TfPadding.Compute("VALID", size, 3, 2).Output;

        foreach (var (name, down) in Blocks)
        {
            x = down ? ResidualDown(builder, x, name, ref size) : Residual(builder, x, name, size);
        }

        var pooled = builder.AddNode("ReduceMean", [x], "global_mean", OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0));
        var fc = weights["fc"];
        var embedding = builder.AddNode("MatMul", [pooled, builder.AddFloatInitializer("fc/W", fc.AsFloats(), fc.Shape.ToLongs())], "fc");
        builder.AddOutput(embedding, "embedding", null, fc.Shape[1]);
        return builder;
    }

    private string Residual(OnnxGraphBuilder builder, string x, string name, int size)
    {
        var inner = size;
        var a = builder.AddNode("Relu", [ScaledConv(builder, x, name + "/conv1", 1, ref inner, same: true)], name + "/conv1/relu");
        var b = ScaledConv(builder, a, name + "/conv2", 1, ref inner, same: true);
        var sum = builder.AddNode("Add", [b, x], name + "/add");
        return builder.AddNode("Relu", [sum], name + "/relu");
    }

    private string ResidualDown(OnnxGraphBuilder builder, string x, string name, ref int size)
    {
        var channelsIn = weights[name + "/conv1/conv/filters"].Shape[2];
        var channelsOut = weights[name + "/conv1/conv/filters"].Shape[3];
        var mainSize = size;
        var a = builder.AddNode("Relu", [ScaledConv(builder, x, name + "/conv1", 2, ref mainSize, same: false)], name + "/conv1/relu");
        var b = ScaledConv(builder, a, name + "/conv2", 1, ref mainSize, same: true);

        var pooled = builder.AddNode(
            "AveragePool", [x], name + "/shortcut_pool",
            OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 0, 0, 0, 0));
        var pooledSize = TfPadding.Compute("VALID", size, 2, 2).Output;

        // face-api appends zero channels to the shortcut, and a zero row and column to a main path that came out smaller.
        var shortcut = channelsOut == channelsIn ? pooled : ZeroPad(builder, pooled, name + "/shortcut_channels", channels: channelsOut - channelsIn, spatial: 0);
        var main = pooledSize == mainSize ? b : ZeroPad(builder, b, name + "/main_pad", channels: 0, spatial: pooledSize - mainSize);

        size = pooledSize;
        var sum = builder.AddNode("Add", [shortcut, main], name + "/add");
        return builder.AddNode("Relu", [sum], name + "/relu");
    }

    private static string ZeroPad(OnnxGraphBuilder builder, string x, string name, int channels, int spatial)
    {
        long[] pads = [0, 0, 0, 0, 0, channels, spatial, spatial];
        return builder.AddNode("Pad", [x, builder.AddInt64Initializer(name + "/pads", pads, 8)], name, OnnxAttribute.String("mode", "constant"));
    }

    /// <summary>conv → +bias → ×scale → +shift, folded into one Conv; <paramref name="size"/> becomes the output size.</summary>
    private string ScaledConv(OnnxGraphBuilder builder, string x, string prefix, int stride, ref int size, bool same)
    {
        var filter = weights[prefix + "/conv/filters"];
        var bias = weights[prefix + "/conv/bias"].AsFloats();
        var scale = weights[prefix + "/scale/weights"].AsFloats();
        var shift = weights[prefix + "/scale/biases"].AsFloats();
        var (k, channelsIn, channelsOut) = (filter.Shape[0], filter.Shape[2], filter.Shape[3]);

        var oihw = Mappers.ConvolutionMapper.HwioToOihw(filter);
        var perOutput = oihw.Length / channelsOut;
        for (var o = 0; o < channelsOut; o++)
        {
            for (var i = 0; i < perOutput; i++)
            {
                oihw[(o * perOutput) + i] *= scale[o];
            }
        }

        var foldedBias = bias.Select((b, o) => (b * scale[o]) + shift[o]).ToArray();
        var (output, begin, end) = TfPadding.Compute(same ? "SAME" : "VALID", size, k, stride);
        size = output;
        return FaceApiLayers.Conv(builder, x, prefix, oihw, foldedBias, [channelsOut, channelsIn, k, k], stride, (begin, end), (begin, end));
    }
}
