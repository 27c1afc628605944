using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Local.Engine.Quality;

namespace FaceLogin.Domain.Local.Engine;

/// <summary>The <c>FaceLogin:Engine</c> settings of the analysis pipeline (the model folder is <see cref="Models.ModelCatalogueOptions"/>'s).</summary>
public sealed class LocalEngineOptions
{
    public const string SectionName = "FaceLogin:Engine";

    /// <summary>Threads per inference; see <see cref="Onnx.OnnxRuntimeOptions"/> for why 2.</summary>
    public int IntraOpThreads { get; set; } = 2;

    public bool AllowSpinning { get; set; }

    /// <summary>BlazeFace score (0..1) below which a candidate is ignored; the quality filter's MinConfidence judges the rest.</summary>
    public float DetectionThreshold { get; set; } = 0.5f;

    /// <summary>Landmark passes after the first, each re-cutting the crop from the previous points (docs/accuracy.md).</summary>
    public int LandmarkRefinePasses { get; set; } = 1;

    /// <summary>Average each embedding with its mirror image's (measured gain: docs/accuracy.md).</summary>
    public bool FlipAveraging { get; set; } = true;

    public ImageDecoderOptions Decoder { get; set; } = new();

    public FaceQualityOptions Quality { get; set; } = new();
}
