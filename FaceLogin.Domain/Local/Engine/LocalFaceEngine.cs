using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Local.Engine.Detection;
using FaceLogin.Domain.Local.Engine.Embedding;
using FaceLogin.Domain.Local.Engine.Landmarks;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Domain.Local.Engine.Quality;
using FaceLogin.Domain.Local.Engine.Recognition;

namespace FaceLogin.Domain.Local.Engine;

/// <summary>
/// The one place that turns the model catalogue and the options into the pipeline's parts: one ONNX session per model,
/// shared by every request (the app, the commands and the tests all build the engine here).
/// </summary>
public sealed class LocalFaceEngine : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public LocalFaceEngine(ModelCatalogue catalogue, LocalEngineOptions options)
    {
        var runtime = new OnnxRuntimeOptions { IntraOpThreads = options.IntraOpThreads, AllowSpinning = options.AllowSpinning };
        Decoder = new SkiaImageDecoder(options.Decoder);
        Quality = new FaceQualityAssessor(options.Quality);
        try
        {
            Detector = Own(new BlazeFaceDetector(
                new BlazeFaceDetectorOptions(catalogue.PathOf(FaceModel.BlazeFace)) { ScoreThreshold = options.DetectionThreshold },
                runtime));
            Landmarker = Own(new FaceLandmark68Landmarker(Recognizers.LandmarkOptions(catalogue, options), runtime));
            Recognizer = Own(Recognizers.Create(catalogue, options, runtime));
        }
        catch
        {
            Dispose();
            throw;
        }

        Analyzer = new FaceAnalyzer(Decoder, Detector, Landmarker, Recognizer, Quality);
    }

    /// <summary>Names the recogniser, its flip and the landmarks its chips are cut from: what the collection records per face.</summary>
    public string ModelVersion => Recognizer.Version;

    /// <summary>The recogniser's cosine ↔ 0..100 calibration.</summary>
    public SimilarityScale Scale => Recognizer.Scale;

    public FaceAnalyzer Analyzer { get; }

    public SkiaImageDecoder Decoder { get; }

    public BlazeFaceDetector Detector { get; } = null!;

    public FaceLandmark68Landmarker Landmarker { get; } = null!;

    public FaceRecognizer Recognizer { get; } = null!;

    public FaceQualityAssessor Quality { get; }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
