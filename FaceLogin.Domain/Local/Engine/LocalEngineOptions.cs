using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Local.Engine.Quality;
using FaceLogin.Domain.Local.Engine.Recognition;

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

    /// <summary>
    /// The recogniser (docs/accuracy.md compares them). Changing it changes the model version: the collection must then be
    /// re-computed from the stored photos with the <c>reindex</c> command before the app starts.
    /// </summary>
    public RecognizerKind Recognizer { get; set; } = RecognizerKind.MobileFaceNet;

    /// <summary>The 68-point net whose points every chip is cut from (and the pose is estimated from).</summary>
    public LandmarkModel Landmarks { get; set; } = LandmarkModel.Faceplugin;

    /// <summary>
    /// How the landmark net's crop is cut, when not the chosen net's default (for tuning with <c>evaluate</c>; the defaults
    /// are the measured best, docs/accuracy.md): side in detector-box sides, shift down in crop sides, cut along the eye line,
    /// mirror-averaged.
    /// </summary>
    public float? LandmarkCropScale { get; set; }

    public float? LandmarkCropShiftDown { get; set; }

    public bool? LandmarkDerotate { get; set; }

    public bool? LandmarkMirrorAveraging { get; set; }

    /// <summary>With <see cref="RecognizerKind.Fusion"/>: MobileFaceNet's share of the fused cosine (dlib's is the rest).</summary>
    public float FusionWeight { get; set; } = 0.5f;

    public ImageDecoderOptions Decoder { get; set; } = new();

    public FaceQualityOptions Quality { get; set; } = new();
}
