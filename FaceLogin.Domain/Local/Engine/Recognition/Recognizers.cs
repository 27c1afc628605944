using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Embedding;
using FaceLogin.Domain.Local.Engine.Landmarks;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Recognition;

/// <summary>
/// Builds the configured recogniser and the landmark net it depends on, and names the result: the model version is what the
/// collection records, so every setting that changes the vectors is in it.
/// </summary>
internal static class Recognizers
{
    public static FaceLandmark68Options LandmarkOptions(ModelCatalogue catalogue, LocalEngineOptions options)
    {
        var defaults = options.Landmarks switch
        {
            LandmarkModel.FaceApi => new FaceLandmark68Options(catalogue.PathOf(FaceModel.FaceLandmark68)),
            // Faceplugin's SDK crops a square around the box with a little margin and trains on upright crops of it.
            LandmarkModel.Faceplugin => new FaceLandmark68Options(catalogue.PathOf(FaceModel.FacepluginLandmark68))
            {
                CropScale = 1.1f,
                CropShiftDown = 0.05f,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Landmarks, "Unknown landmark model."),
        };
        return defaults with
        {
            RefinePasses = options.LandmarkRefinePasses,
            CropScale = options.LandmarkCropScale ?? defaults.CropScale,
            CropShiftDown = options.LandmarkCropShiftDown ?? defaults.CropShiftDown,
            Derotate = options.LandmarkDerotate ?? defaults.Derotate,
            MirrorAveraging = options.LandmarkMirrorAveraging ?? defaults.MirrorAveraging,
        };
    }

    public static FaceRecognizer Create(ModelCatalogue catalogue, LocalEngineOptions options, OnnxRuntimeOptions runtime)
    {
        var flip = options.FlipAveraging ? "+flip" : string.Empty;
        var landmarks = LandmarkTag(options);
        switch (options.Recognizer)
        {
            case RecognizerKind.DlibResNet:
                return new FaceRecognizer($"dlib-resnet-v1{flip}/{landmarks}-dlib-chip", [Dlib(catalogue, options, runtime, 1f)], RecognizerCalibration.For(options));
            case RecognizerKind.MobileFaceNet:
                return new FaceRecognizer($"mobilefacenet-faceplugin-v1{flip}/{landmarks}-arcface5", [MobileFaceNet(catalogue, options, runtime, 1f)], RecognizerCalibration.For(options));
            case RecognizerKind.Fusion:
                var weight = options.FusionWeight;
                if (weight is <= 0f or >= 1f)
                {
                    throw new ArgumentOutOfRangeException(nameof(options), weight, "FaceLogin:Engine:FusionWeight must be between 0 and 1 (exclusive).");
                }

                var mobile = MobileFaceNet(catalogue, options, runtime, weight);
                try
                {
                    var dlib = Dlib(catalogue, options, runtime, 1f - weight);
                    return new FaceRecognizer(
                        FormattableString.Invariant($"fusion-{weight:0.###}(mobilefacenet-faceplugin-v1,dlib-resnet-v1){flip}/{landmarks}"),
                        [mobile, dlib],
                        RecognizerCalibration.For(options));
                }
                catch
                {
                    mobile.Embedder.Dispose();
                    throw;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Recognizer, "Unknown recogniser.");
        }
    }

    /// <summary>
    /// The landmark part of the version: the first engine's string for its own landmarks (collections indexed before the
    /// setting existed keep their version), the net, crop and passes otherwise.
    /// </summary>
    private static string LandmarkTag(LocalEngineOptions options)
    {
        var tuned = options.LandmarkCropScale is not null || options.LandmarkCropShiftDown is not null || options.LandmarkDerotate is not null || options.LandmarkMirrorAveraging is not null;
        var baseTag = options.Landmarks switch
        {
            LandmarkModel.FaceApi => "landmark68x2",
            _ => "fplandmark68x" + (options.LandmarkRefinePasses + 1),
        };
        return tuned
            ? FormattableString.Invariant($"{baseTag}[{options.LandmarkCropScale},{options.LandmarkCropShiftDown},{options.LandmarkDerotate},{options.LandmarkMirrorAveraging}]")
            : baseTag;
    }

    private static RecognizerPart Dlib(ModelCatalogue catalogue, LocalEngineOptions options, OnnxRuntimeOptions runtime, float weight)
    {
        var embedder = new ChipEmbedder(new ChipEmbedderOptions(catalogue.PathOf(FaceModel.DlibResNet)) { FlipAveraging = options.FlipAveraging }, runtime);
        return new RecognizerPart("dlibResnet", new DlibChipAligner(embedder.ChipSize), embedder, weight);
    }

    private static RecognizerPart MobileFaceNet(ModelCatalogue catalogue, LocalEngineOptions options, OnnxRuntimeOptions runtime, float weight)
    {
        var embedder = new ChipEmbedder(new ChipEmbedderOptions(catalogue.PathOf(FaceModel.MobileFaceNet)) { FlipAveraging = options.FlipAveraging }, runtime);
        return new RecognizerPart("mobileFaceNet", new ArcFaceAligner(), embedder, weight);
    }
}

/// <summary>
/// Each recogniser's cosine ↔ 0..100 calibration, measured with <c>evaluate --all-pairs</c> on lfw-dev (docs/accuracy.md):
/// score 0 at the mean impostor cosine, 80 at the cosine that accepts one impostor pair in 10 000 (FAR 1e-4).
/// </summary>
internal static class RecognizerCalibration
{
    /// <summary>dlib's ResNet: impostor cosines sit at 0.84 ± 0.034 (its embeddings share a large common part).</summary>
    public static SimilarityScale DlibResNet { get; } = new(cosineAtZero: 0.8397f, cosineAtHundred: 0.9709f);

    /// <summary>The configured recogniser's calibration, known without loading a model.</summary>
    public static SimilarityScale For(LocalEngineOptions options) => options.Recognizer switch
    {
        RecognizerKind.DlibResNet => DlibResNet,
        RecognizerKind.MobileFaceNet => MobileFaceNet,
        RecognizerKind.Fusion => Fusion(options.FusionWeight),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Recognizer, "Unknown recogniser."),
    };

    /// <summary>MobileFaceNet: the default recogniser, so the house default scale.</summary>
    public static SimilarityScale MobileFaceNet => SimilarityScale.Default;

    public static SimilarityScale Fusion(float mobileFaceNetWeight) =>
        SimilarityScale.FromOperatingPoint(
            impostorMean: mobileFaceNetWeight * 0.0071f + (1 - mobileFaceNetWeight) * 0.8397f,
            cosineAtFar1e4: mobileFaceNetWeight * 0.4113f + (1 - mobileFaceNetWeight) * 0.9447f);
}
