using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Import.FaceApi;

/// <summary>face-api's weights: a <c>*-weights_manifest.json</c> (a bare TF.js weights manifest) and its shards, by name.</summary>
internal sealed class FaceApiWeights(IReadOnlyDictionary<string, TfjsTensor> tensors)
{
    public static FaceApiWeights Read(string manifestPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        return new FaceApiWeights(new TfjsWeightsReader().Read(document.RootElement, Path.GetDirectoryName(Path.GetFullPath(manifestPath))!));
    }

    public TfjsTensor this[string name] =>
        tensors.TryGetValue(name, out var tensor) ? tensor : throw new InvalidDataException($"face-api weight '{name}' is missing from the manifest.");
}

/// <summary>Layers both face-api builders share, written straight into NCHW ONNX nodes.</summary>
internal static class FaceApiLayers
{
    /// <summary>The mean RGB face-api subtracts before dividing by 255 (dlib ResNet and the landmark nets).</summary>
    public static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    /// <summary>
    /// The declared NHWC input, then face-api's normalisation <c>(x − meanRgb) / 255</c> in NHWC, then one transpose to NCHW.
    /// Sub then Div, as face-api does, so results match it to float rounding.
    /// </summary>
    public static string NormalisedInput(OnnxGraphBuilder builder, int size)
    {
        var input = builder.AddInput(Models.FaceModelDescription.InputName, null, size, size, 3);
        var centred = builder.AddNode("Sub", [input, builder.AddFloatInitializer("mean_rgb", MeanRgb, 1, 1, 1, 3)], "centred");
        var scaled = builder.AddNode("Div", [centred, builder.AddFloatInitializer("scale_255", [255f])], "scaled");
        return builder.AddNode("Transpose", [scaled], "input_nchw", OnnxAttribute.Ints("perm", Layout.NhwcToNchw));
    }

    /// <summary>A Conv with TF-style explicit pads; <paramref name="weightsOihw"/> already in ONNX order.</summary>
    public static string Conv(OnnxGraphBuilder builder, string input, string name, float[] weightsOihw, float[] bias, int[] oihw, int stride, (int Begin, int End) padH, (int Begin, int End) padW, int group = 1) =>
        builder.AddNode(
            "Conv",
            [input, builder.AddFloatInitializer(name + "/W", weightsOihw, oihw.ToLongs()), builder.AddFloatInitializer(name + "/B", bias, oihw[0])],
            name,
            OnnxAttribute.Ints("kernel_shape", oihw[2], oihw[3]),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padH.Begin, padW.Begin, padH.End, padW.End),
            OnnxAttribute.Int("group", group));
}
