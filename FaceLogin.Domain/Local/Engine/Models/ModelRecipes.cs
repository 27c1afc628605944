using FaceLogin.Domain.Local.Engine.Import;
using FaceLogin.Domain.Local.Engine.Import.FaceApi;
using FaceLogin.Domain.Local.Engine.Import.Onnx;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>How one ONNX file is made from npm files (paths relative to <c>node_modules/</c>).</summary>
internal interface IModelRecipe
{
    FaceModel Model { get; }

    /// <summary>The files the recipe reads; each must be pinned in models.pins.</summary>
    IReadOnlyList<string> Sources { get; }

    /// <summary>Where the model comes from and under which licences; the ONNX file's doc_string, matched by THIRD-PARTY-NOTICES.md.</summary>
    string Description { get; }

    void Convert(string nodeModules, string outputPath);
}

/// <summary>A TF.js graph model of <c>@vladmandic/human</c>, imported with fixed input scaling and output names.</summary>
internal sealed class TfjsGraphRecipe(FaceModel model, string name, TfjsImportOptions options) : IModelRecipe
{
    private const string Folder = "@vladmandic/human/models/";

    public FaceModel Model => model;

    public IReadOnlyList<string> Sources { get; } = [Folder + name + ".json", Folder + name + ".bin"];

    public string Description => options.Description;

    public void Convert(string nodeModules, string outputPath)
    {
        var graph = new TfjsGraphModelReader(new TfjsWeightsReader()).Read(Path.Combine(nodeModules, Sources[0]));
        TfjsGraphImporter.CreateDefault().Import(graph, options).Save(outputPath, Description);
    }
}

/// <summary>A face-api weights-only model, built by a dedicated graph builder.</summary>
internal sealed class FaceApiRecipe(FaceModel model, string name, Func<FaceApiWeights, OnnxGraphBuilder> build, string description) : IModelRecipe
{
    private const string Folder = "@vladmandic/face-api/model/";

    public FaceModel Model => model;

    public IReadOnlyList<string> Sources { get; } = [Folder + name + "-weights_manifest.json", Folder + name + ".bin"];

    public string Description => description;

    public void Convert(string nodeModules, string outputPath) =>
        build(FaceApiWeights.Read(Path.Combine(nodeModules, Sources[0]))).Save(outputPath, description);
}

/// <summary>
/// A model shipped as plain ONNX by <c>faceplugin-face-recognition-js</c>: the graph is kept as it is and given the house
/// input contract (<see cref="OnnxInputAdapter"/>), its channel order and scaling moved inside.
/// </summary>
internal sealed class FacepluginRecipe(FaceModel model, string name, InputAdaptation adaptation, string description) : IModelRecipe
{
    private const string Folder = "faceplugin-face-recognition-js/model/";

    public FaceModel Model => model;

    public IReadOnlyList<string> Sources { get; } = [Folder + name + ".onnx"];

    public string Description => description;

    public void Convert(string nodeModules, string outputPath) =>
        OnnxInputAdapter.AdaptFile(Path.Combine(nodeModules, Sources[0]), outputPath, FaceModelDescription.InputName, adaptation, description);
}

/// <summary>Every model the engine ships, and how each is converted. Output names and scaling follow <see cref="FaceModelDescriptions"/>.</summary>
internal static class ModelRecipes
{
    private const string Input = FaceModelDescription.InputName;

    public static IReadOnlyList<IModelRecipe> All { get; } =
    [
        // BlazeFace's four outputs are not in anchor order: the 512 rows of the 16×16 grid come first, then the 384 of the 8×8 grid.
        new TfjsGraphRecipe(FaceModel.BlazeFace, "blazeface", new TfjsImportOptions(
            Input, InputScaling.SignedUnitRange,
            [new ImportOutput("boxes", ["Identity_2", "Identity_3"]), new ImportOutput("logits", ["Identity", "Identity_1"])],
            "BlazeFace from @vladmandic/human 3.3.6 (MediaPipe, Apache-2.0 upstream; MIT packaging)")),
        new TfjsGraphRecipe(FaceModel.FaceMesh, "facemesh", new TfjsImportOptions(
            Input, InputScaling.UnitRange,
            [new ImportOutput("mesh", "Identity_2"), new ImportOutput("faceflag", "Identity_1"), new ImportOutput("contours", "Identity")],
            "FaceMesh from @vladmandic/human 3.3.6 (MediaPipe, Apache-2.0 upstream; MIT packaging)")),
        new TfjsGraphRecipe(FaceModel.Iris, "iris", new TfjsImportOptions(
            Input, InputScaling.UnitRange, [new ImportOutput("landmarks", "Identity")], "Iris from @vladmandic/human 3.3.6 (MediaPipe, Apache-2.0 upstream; MIT packaging)")),
        new FaceApiRecipe(FaceModel.DlibResNet, "face_recognition_model", w => new DlibResNetBuilder(w).Build(),
            "dlib face recognition ResNet v1 (weights by Davis King, via @vladmandic/face-api 1.7.15)"),
        new FaceApiRecipe(FaceModel.FaceLandmark68, "face_landmark_68_model", w => new FaceLandmark68NetBuilder(w).Build(),
            "FaceLandmark68Net from @vladmandic/face-api 1.7.15"),
        new TfjsGraphRecipe(FaceModel.FaceRes, "faceres", new TfjsImportOptions(
            Input, InputScaling.None,
            [new ImportOutput("embedding", "global_pooling/Mean"), new ImportOutput("gender", "gender_pred/Sigmoid"), new ImportOutput("age", "age_pred/Softmax")],
            "faceres (HSE) from @vladmandic/human 3.3.6")),
        new TfjsGraphRecipe(FaceModel.AntiSpoof, "antispoof", new TfjsImportOptions(
            Input, InputScaling.UnitRange, [new ImportOutput("score", "Identity")], "antispoof from @vladmandic/human 3.3.6")),
        new TfjsGraphRecipe(FaceModel.Liveness, "liveness", new TfjsImportOptions(
            Input, InputScaling.UnitRange, [new ImportOutput("scores", "Identity")], "liveness from @vladmandic/human 3.3.6")),
        // Fed B,G,R and (x − 127)/128 as Faceplugin trained it; its final view(1, −1) is freed so a chip and its mirror run as one batch.
        new FacepluginRecipe(FaceModel.MobileFaceNet, "fr_feature", new InputAdaptation(ChannelOrder.Bgr, Mean: 127f, Divisor: 128f, FreeBatch: true),
            "MobileFaceNet face recogniser from faceplugin-face-recognition-js 0.0.1 (MIT; training data not disclosed)"),
        new FacepluginRecipe(FaceModel.FacepluginLandmark68, "fr_landmark", new InputAdaptation(ChannelOrder.Grey, Mean: 0f, Divisor: 256f, FreeBatch: true),
            "68-point landmark net from faceplugin-face-recognition-js 0.0.1 (MIT; training data not disclosed)"),
        // Raw 0..255 in B,G,R: fed R,G,B, as the package's own JavaScript does, it calls about a third of real photos attacks (docs/liveness.md).
        new FacepluginRecipe(FaceModel.MiniFasNet, "fr_liveness", new InputAdaptation(ChannelOrder.Bgr, Mean: 0f, Divisor: 1f, FreeBatch: false),
            "MiniFASNetV2-SE passive liveness net from faceplugin-face-recognition-js 0.0.1 (MIT; training data not disclosed)"),
    ];
}
