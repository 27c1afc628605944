using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Local.Engine.Detection;
using FaceLogin.Domain.Local.Engine.Embedding;
using FaceLogin.Domain.Local.Engine.Landmarks;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Domain.Local.Engine.Quality;

namespace FaceLogin.Domain.Local.Engine;

/// <summary>
/// The one place that turns the model catalogue and the options into the pipeline's parts: one ONNX session per model,
/// shared by every request (the app, the commands and the tests all build the engine here).
/// </summary>
public sealed class LocalFaceEngine : IDisposable
{
    public LocalFaceEngine(ModelCatalogue catalogue, LocalEngineOptions options)
    {
        var runtime = new OnnxRuntimeOptions { IntraOpThreads = options.IntraOpThreads, AllowSpinning = options.AllowSpinning };
        Decoder = new SkiaImageDecoder(options.Decoder);
        Detector = new BlazeFaceDetector(
            new BlazeFaceDetectorOptions(catalogue.PathOf(FaceModel.BlazeFace)) { ScoreThreshold = options.DetectionThreshold },
            runtime);
        try
        {
            Landmarker = new FaceLandmark68Landmarker(
                new FaceLandmark68Options(catalogue.PathOf(FaceModel.FaceLandmark68)) { RefinePasses = options.LandmarkRefinePasses },
                runtime);
            Embedder = new DlibResNetEmbedder(
                new DlibResNetEmbedderOptions(catalogue.PathOf(FaceModel.DlibResNet)) { FlipAveraging = options.FlipAveraging },
                runtime);
        }
        catch
        {
            Dispose();
            throw;
        }

        Aligner = new DlibChipAligner(Embedder.ChipSize);
        Quality = new FaceQualityAssessor(options.Quality);
        ModelVersion = $"dlib-resnet-v1{(options.FlipAveraging ? "+flip" : string.Empty)}/landmark68x2-dlib-chip";
        Analyzer = new FaceAnalyzer(Decoder, Detector, Landmarker, Aligner, Embedder, Quality, ModelVersion);
    }

    public string ModelVersion { get; }

    public FaceAnalyzer Analyzer { get; }

    public SkiaImageDecoder Decoder { get; }

    public BlazeFaceDetector Detector { get; }

    public FaceLandmark68Landmarker Landmarker { get; } = null!;

    public DlibChipAligner Aligner { get; }

    public DlibResNetEmbedder Embedder { get; } = null!;

    public FaceQualityAssessor Quality { get; }

    public void Dispose()
    {
        Embedder?.Dispose();
        Landmarker?.Dispose();
        Detector.Dispose();
    }
}
