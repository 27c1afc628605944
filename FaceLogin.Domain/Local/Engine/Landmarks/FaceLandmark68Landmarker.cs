using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>
/// A 68-point landmark net on a square crop around the face: face-api's FaceLandmark68Net (112 px) or Faceplugin's (64 px,
/// grey inside its graph). Both output the 68 iBUG points dlib's face chip is defined on, as 136 values, (x, y) pairs as
/// fractions of the square input, and both take the house input contract, so one class runs either.
/// </summary>
public sealed class FaceLandmark68Landmarker : IFaceLandmarker, IDisposable
{
    private readonly FaceLandmark68Options _options;
    private readonly OnnxModel _model;
    private readonly int _inputSize;

    public FaceLandmark68Landmarker(FaceLandmark68Options options, OnnxRuntimeOptions runtime)
    {
        _options = options;
        _model = new OnnxModel(options.ModelPath, runtime);
        _inputSize = _model.ImageSize.Width;
    }

    public FaceShape Locate(RgbaImage image, DetectedFace face)
    {
        var crop = CropFor(face);
        var points = LocateIn(image, crop);
        for (var pass = 0; pass < _options.RefinePasses; pass++)
        {
            crop = LandmarkCrops.FromShape(points, _options.CropScale, _options.CropShiftDown, _options.Derotate, _inputSize, face);
            points = LocateIn(image, crop);
        }

        return new FaceShape(points);
    }

    /// <summary>The first pass's crop around a detection.</summary>
    internal CropGeometry CropFor(DetectedFace face) =>
        LandmarkCrops.FromDetection(face, _options.CropScale, _options.CropShiftDown, _options.Derotate, _inputSize);

    internal FacePoint[] LocateIn(RgbaImage image, CropGeometry crop) => LocateIn(image, crop, _options.MirrorAveraging);

    internal FacePoint[] LocateIn(RgbaImage image, CropGeometry crop, bool mirrorAveraging)
    {
        var length = _model.InputLength;
        using var input = _model.RentInput(mirrorAveraging ? 2 : 1);
        ImageWarp.ToTensor(image, crop.WarpMap, _inputSize, _inputSize, ModelInput.Rgb255, input.Span);
        if (!mirrorAveraging)
        {
            return Decode(_model.Run(input)[0], crop);
        }

        // The mirrored crop: crop pixel x of the mirror is crop pixel (size − 1 − x) of the original.
        MirrorRows(input.Span[..length], input.Span[length..], _inputSize);
        var output = _model.Run(input, 2)[0];
        var direct = Decode(output.AsSpan(0, FaceShape.PointCount * 2), crop);
        var mirrored = new FacePoint[FaceShape.PointCount];
        for (var i = 0; i < mirrored.Length; i++)
        {
            mirrored[i] = new FacePoint(output[FaceShape.PointCount * 2 + 2 * i] * crop.Size, output[FaceShape.PointCount * 2 + 2 * i + 1] * crop.Size);
        }

        return MirroredShape.Average(direct, mirrored, crop.Size, p => crop.ToImage(p.X, p.Y));
    }

    private static void MirrorRows(ReadOnlySpan<float> source, Span<float> target, int size)
    {
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var s = (y * size + x) * 3;
                var t = (y * size + size - 1 - x) * 3;
                target[t] = source[s];
                target[t + 1] = source[s + 1];
                target[t + 2] = source[s + 2];
            }
        }
    }

    /// <summary>Model inference alone, for the bench.</summary>
    internal float[][] RunModel(float[] input) => _model.Run(input);

    internal int ModelInputLength => _model.InputLength;

    internal static FacePoint[] Decode(ReadOnlySpan<float> output, CropGeometry crop)
    {
        if (output.Length != FaceShape.PointCount * 2)
        {
            throw new InvalidOperationException($"FaceLandmark68Net must output {FaceShape.PointCount * 2} values, got {output.Length}.");
        }

        var points = new FacePoint[FaceShape.PointCount];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = crop.ToImage(output[2 * i] * crop.Size, output[2 * i + 1] * crop.Size);
        }

        return points;
    }

    public void Dispose() => _model.Dispose();
}
