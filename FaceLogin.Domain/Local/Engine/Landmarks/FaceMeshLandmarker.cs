using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>
/// MediaPipe FaceMesh (192 px input): 468 vertices on an upright crop around the face, reduced to the 68 iBUG points;
/// also its face-presence probability.
/// </summary>
public sealed class FaceMeshLandmarker : IFaceLandmarker, IDisposable
{
    public const int VertexCount = 468;

    private readonly FaceMeshOptions _options;
    private readonly OnnxModel _model;
    private readonly int _inputSize;
    private readonly int _meshOutput;
    private readonly int _flagOutput;

    public FaceMeshLandmarker(FaceMeshOptions options, OnnxRuntimeOptions runtime)
    {
        _options = options;
        _model = new OnnxModel(options.ModelPath, runtime);
        _inputSize = _model.ImageSize.Width;
        _meshOutput = IndexOf("mesh");
        _flagOutput = IndexOf("faceflag");
    }

    public FaceShape Locate(RgbaImage image, DetectedFace face) => new(MeshTo68.Convert(LocateMesh(image, face).Mesh));

    internal (FacePoint[] Mesh, float FaceProbability) LocateMesh(RgbaImage image, DetectedFace face)
    {
        var crop = LandmarkCrops.FromDetection(face, _options.CropScale, 0, derotate: true, _inputSize);
        var result = LocateIn(image, crop);
        for (var pass = 0; pass < _options.RefinePasses; pass++)
        {
            crop = LandmarkCrops.FromShape(MeshTo68.Convert(result.Mesh), _options.CropScale, 0, derotate: true, _inputSize, face);
            result = LocateIn(image, crop);
        }

        return result;
    }

    internal (FacePoint[] Mesh, float FaceProbability) LocateIn(RgbaImage image, CropGeometry crop)
    {
        using var input = _model.RentInput();
        ImageWarp.ToTensor(image, crop.WarpMap, _inputSize, _inputSize, ModelInput.Rgb255, input.Span);
        var outputs = _model.Run(input);
        var raw = outputs[_meshOutput];
        var mesh = new FacePoint[VertexCount];
        for (var i = 0; i < VertexCount; i++)
        {
            mesh[i] = crop.ToImage(raw[3 * i], raw[3 * i + 1]);
        }

        return (mesh, outputs[_flagOutput][0]);
    }

    private int IndexOf(string output)
    {
        var index = _model.OutputNames.ToList().FindIndex(n => n.Contains(output, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new InvalidOperationException($"FaceMesh at {_model.Path} has no '{output}' output.");
    }

    public void Dispose() => _model.Dispose();
}
