using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Liveness;

/// <summary>
/// How much one still looks like a live face rather than a print or a screen: Faceplugin's MiniFASNetV2-SE on a crop of
/// the face box × 2.7, as a softmax probability 0..1 of its "real" class. A passive signal only, to be measured before it
/// is trusted (docs/liveness.md): one frame cannot prove life. The channel order (B,G,R) is inside the converted graph.
/// </summary>
public sealed class PassiveLivenessScorer : IDisposable
{
    /// <summary>
    /// The "real face" output: element 0, as the package's JavaScript reports it (not Silent-Face-Anti-Spoofing's label 1).
    /// Measured: fed B,G,R, real photos put their mass on 0 and prints and replays on 1; 2 stays near zero (docs/liveness.md).
    /// </summary>
    public const int RealClass = 0;

    private readonly PassiveLivenessOptions _options;
    private readonly OnnxModel _model;
    private readonly int _inputSize;

    public PassiveLivenessScorer(PassiveLivenessOptions options, OnnxRuntimeOptions runtime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CropScale, 0f);
        _options = options;
        _model = new OnnxModel(options.ModelPath, runtime);
        _inputSize = _model.ImageSize.Width;
    }

    /// <summary>The probability (0..1) that the face in <paramref name="faceBox"/> is live; low means print or screen.</summary>
    public float Score(RgbaImage image, PixelRect faceBox) => Probabilities(image, faceBox)[RealClass];

    /// <summary>The softmax over the net's three classes (for the probe, which checks which one is "real").</summary>
    public float[] Probabilities(RgbaImage image, PixelRect faceBox)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(faceBox.Width > 0 && faceBox.Height > 0))
        {
            throw new ArgumentException("The face box is empty.", nameof(faceBox));
        }

        using var input = _model.RentInput();
        ImageWarp.ToTensor(image, CropFor(image, faceBox).WarpMap, _inputSize, _inputSize, ModelInput.Rgb255, input.Span);
        return Softmax(_model.Run(input)[0]);
    }

    /// <summary>
    /// The square box side × <see cref="PassiveLivenessOptions.CropScale"/>, shrunk to fit the image's shorter side and
    /// shifted (not cut) to stay inside it, as the model's training crops were: a face near an edge keeps its context.
    /// </summary>
    internal CropGeometry CropFor(RgbaImage image, PixelRect faceBox)
    {
        var box = Math.Max(faceBox.Width, faceBox.Height);
        var side = Math.Min(box * _options.CropScale, Math.Min(image.Width, image.Height));
        var half = side / 2.0;
        var centre = faceBox.Centre;
        var x = Math.Clamp(centre.X, half, image.Width - half);
        var y = Math.Clamp(centre.Y, half, image.Height - half);
        return new CropGeometry(new FacePoint((float)x, (float)y), side, 0, _inputSize);
    }

    private static float[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    public void Dispose() => _model.Dispose();
}
