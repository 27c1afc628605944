namespace FaceLogin.Domain.Local.Engine.Import.FaceApi;

/// <summary>
/// Builds face-api's FaceLandmark68Net (<c>face_landmark_68_model</c>) following <c>src/faceFeatureExtractor/</c> and
/// <c>src/faceLandmarkNet/</c>: four dense blocks (dense0 starts with a plain 3×3/2 conv, the others with a separable 3×3/2;
/// each block adds 3 separable convs whose inputs are the ReLU of the running sum of the previous outputs), channels 32, 64, 128, 256
/// at 56, 28, 14, 7 px; average pool 7×7/2 VALID; FC 256→136. Separable conv = depthwise 3×3 SAME then pointwise 1×1 plus bias.
/// The output is face-api's raw network output: 68 (x, y) pairs relative to the square 112-px input.
/// </summary>
internal sealed class FaceLandmark68NetBuilder(FaceApiWeights weights)
{
    public const int InputSize = 112;

    public OnnxGraphBuilder Build()
    {
        var builder = new OnnxGraphBuilder("landmark68");
        var x = FaceApiLayers.NormalisedInput(builder, InputSize);
        var size = InputSize;
        for (var block = 0; block < 4; block++)
        {
            x = DenseBlock(builder, x, $"dense{block}", firstLayer: block == 0, ref size);
        }

        x = builder.AddNode(
            "AveragePool", [x], "pool",
            OnnxAttribute.Ints("kernel_shape", 7, 7), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 0, 0, 0, 0));
        var flat = builder.AddNode("Flatten", [x], "flatten", OnnxAttribute.Int("axis", 1));
        var fcWeights = weights["fc/weights"];
        var product = builder.AddNode("MatMul", [flat, builder.AddFloatInitializer("fc/W", fcWeights.AsFloats(), fcWeights.Shape.ToLongs())], "fc/matmul");
        var landmarks = builder.AddNode("Add", [product, builder.AddFloatInitializer("fc/B", weights["fc/bias"].AsFloats(), fcWeights.Shape[1])], "fc");
        builder.AddOutput(landmarks, "landmarks", null, fcWeights.Shape[1]);
        return builder;
    }

    private string DenseBlock(OnnxGraphBuilder builder, string x, string prefix, bool firstLayer, ref int size)
    {
        var inputSize = size;
        var out1 = builder.AddNode(
            "Relu",
            [firstLayer ? PlainConv(builder, x, prefix + "/conv0", inputSize) : SeparableConv(builder, x, prefix + "/conv0", 2, inputSize)],
            prefix + "/out1");
        size = TfPadding.Compute("SAME", inputSize, 3, 2).Output;

        var out2 = SeparableConv(builder, out1, prefix + "/conv1", 1, size);
        var in3 = builder.AddNode("Relu", [builder.AddNode("Add", [out1, out2], prefix + "/sum12")], prefix + "/in3");
        var out3 = SeparableConv(builder, in3, prefix + "/conv2", 1, size);

        // face-api adds right to left: out1 + (out2 + out3), and out1 + (out2 + (out3 + out4)); kept for identical rounding.
        var sum23 = builder.AddNode("Add", [out2, out3], prefix + "/sum23");
        var in4 = builder.AddNode("Relu", [builder.AddNode("Add", [out1, sum23], prefix + "/sum123")], prefix + "/in4");
        var out4 = SeparableConv(builder, in4, prefix + "/conv3", 1, size);
        var sum34 = builder.AddNode("Add", [out3, out4], prefix + "/sum34");
        var sum234 = builder.AddNode("Add", [out2, sum34], prefix + "/sum234");
        return builder.AddNode("Relu", [builder.AddNode("Add", [out1, sum234], prefix + "/sum1234")], prefix + "/out");
    }

    private string PlainConv(OnnxGraphBuilder builder, string x, string prefix, int size)
    {
        var filter = weights[prefix + "/filters"];
        var (k, channelsIn, channelsOut) = (filter.Shape[0], filter.Shape[2], filter.Shape[3]);
        var (_, begin, end) = TfPadding.Compute("SAME", size, k, 2);
        return FaceApiLayers.Conv(
            builder, x, prefix, Mappers.ConvolutionMapper.HwioToOihw(filter), weights[prefix + "/bias"].AsFloats(),
            [channelsOut, channelsIn, k, k], 2, (begin, end), (begin, end));
    }

    /// <summary>tf.separableConv2d(x, depthwise, pointwise, stride, 'same') + bias.</summary>
    private string SeparableConv(OnnxGraphBuilder builder, string x, string prefix, int stride, int size)
    {
        var depthwise = weights[prefix + "/depthwise_filter"];
        var pointwise = weights[prefix + "/pointwise_filter"];
        var (k, channels) = (depthwise.Shape[0], depthwise.Shape[2]);
        var channelsOut = pointwise.Shape[3];
        var (_, begin, end) = TfPadding.Compute("SAME", size, k, stride);
        var depthwiseOut = builder.AddNode(
            "Conv",
            [x, builder.AddFloatInitializer(prefix + "/depthwise/W", Mappers.ConvolutionMapper.DepthwiseToOihw(depthwise), channels, 1, k, k)],
            prefix + "/depthwise",
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", begin, begin, end, end),
            OnnxAttribute.Int("group", channels));
        return FaceApiLayers.Conv(
            builder, depthwiseOut, prefix, Mappers.ConvolutionMapper.HwioToOihw(pointwise), weights[prefix + "/bias"].AsFloats(),
            [channelsOut, channels, 1, 1], 1, (0, 0), (0, 0));
    }
}
