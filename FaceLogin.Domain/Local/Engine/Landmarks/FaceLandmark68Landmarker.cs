using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>
/// face-api's FaceLandmark68Net (112 px input): the 68 iBUG points dlib's face chip is defined on. Its output is
/// 136 values, (x, y) pairs as fractions of the square input.
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
        var crop = LandmarkCrops.FromDetection(face, _options.CropScale, _options.CropShiftDown, _options.Derotate, _inputSize);
        var points = LocateIn(image, crop);
        for (var pass = 0; pass < _options.RefinePasses; pass++)
        {
            crop = LandmarkCrops.FromShape(points, _options.CropScale, _options.CropShiftDown, _options.Derotate, _inputSize, face);
            points = LocateIn(image, crop);
        }

        return new FaceShape(points);
    }

    internal FacePoint[] LocateIn(RgbaImage image, CropGeometry crop)
    {
        var input = new float[_model.InputLength];
        ImageWarp.ToTensor(image, crop.WarpMap, _inputSize, _inputSize, ModelInput.Rgb255, input);
        var output = RunModel(input)[0];
        return Decode(output, crop);
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
