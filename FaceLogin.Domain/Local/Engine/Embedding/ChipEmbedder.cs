using System.Numerics.Tensors;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Embedding;

/// <summary>
/// Runs a recogniser on its aligned chip: dlib's ResNet (150 px in, 128 numbers out) or MobileFaceNet (112 px, 512). Both
/// take the house input contract, so one class feeds either. With flip averaging the chip and its mirror go through in one
/// batch of two, and each output is L2-normalised before the two are added.
/// </summary>
public sealed class ChipEmbedder : IFaceEmbedder, IDisposable
{
    private readonly ChipEmbedderOptions _options;
    private readonly OnnxModel _model;
    private readonly int _chipSize;

    public ChipEmbedder(ChipEmbedderOptions options, OnnxRuntimeOptions runtime)
    {
        _options = options;
        _model = new OnnxModel(options.ModelPath, runtime);
        _chipSize = _model.ImageSize.Width;
        Length = ProbeLength();
    }

    public int Length { get; }

    public int ChipSize => _chipSize;

    public bool FlipAveraging => _options.FlipAveraging;

    public float[] Embed(RgbaImage chip)
    {
        if (chip.Width != _chipSize || chip.Height != _chipSize)
        {
            throw new ArgumentException($"The chip must be {_chipSize}×{_chipSize}, not {chip.Width}×{chip.Height}.", nameof(chip));
        }

        var items = _options.FlipAveraging ? 2 : 1;
        var length = _model.InputLength;
        using var input = _model.RentInput(items);
        ChipTensor.Fill(chip, input.Span[..length], mirror: false);
        if (_options.FlipAveraging)
        {
            ChipTensor.Fill(chip, input.Span[length..], mirror: true);
        }

        var output = _model.SupportsBatch || items == 1
            ? _model.Run(input, items)[0]
            : [.. _model.Run(input.Memory[..length])[0], .. _model.Run(input.Memory[length..])[0]];
        return Combine(output, items, Length);
    }

    /// <summary>
    /// The length of the network's output for the chip alone, before any normalisation: MobileFaceNet's falls for a chip that
    /// is no well-aligned face (an upside-down face aligned as if upright), which is how <see cref="FaceAnalyzer"/> settles a
    /// face that the detector scores about the same either way round (docs/engine.md, "Upside-down faces").
    /// </summary>
    public float RawNorm(RgbaImage chip)
    {
        using var input = _model.RentInput();
        ChipTensor.Fill(chip, input.Span, mirror: false);
        return TensorPrimitives.Norm(_model.Run(input)[0]);
    }

    /// <summary>Model inference alone, for the bench: one chip-sized input, batch as configured.</summary>
    internal float[][] RunModel(float[] input, int batch) => _model.Run(input, batch);

    internal int ModelInputLength => _model.InputLength;

    /// <summary>Each item L2-normalised, summed, and the sum normalised: both views weigh the same.</summary>
    internal static float[] Combine(ReadOnlySpan<float> output, int items, int length)
    {
        var sum = new float[length];
        for (var i = 0; i < items; i++)
        {
            var item = output.Slice(i * length, length);
            var norm = TensorPrimitives.Norm(item);
            if (norm > 0)
            {
                TensorPrimitives.MultiplyAdd(item, 1 / norm, sum, sum);
            }
        }

        var total = TensorPrimitives.Norm(sum);
        if (total > 0)
        {
            TensorPrimitives.Divide(sum, total, sum);
        }

        return sum;
    }

    private int ProbeLength()
    {
        var output = _model.Run(new float[_model.InputLength])[0];
        return output.Length;
    }

    public void Dispose() => _model.Dispose();
}

/// <summary>Chip pixels into the model's NHWC RGB 0..255 input.</summary>
internal static class ChipTensor
{
    public static void Fill(RgbaImage chip, Span<float> tensor, bool mirror)
    {
        var pixels = chip.Pixels;
        int w = chip.Width, h = chip.Height;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var s = (y * w + (mirror ? w - 1 - x : x)) * 4;
                var d = (y * w + x) * 3;
                tensor[d] = pixels[s];
                tensor[d + 1] = pixels[s + 1];
                tensor[d + 2] = pixels[s + 2];
            }
        }
    }
}
