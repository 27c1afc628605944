using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>
/// BlazeFace (MediaPipe's back-camera model, as shipped by human): a letterboxed 256 px pass over the whole image,
/// then a second pass on a crop around each small face.
/// </summary>
public sealed class BlazeFaceDetector : IFaceDetector, IDisposable
{
    private readonly BlazeFaceDetectorOptions _options;
    private readonly OnnxModel _model;
    private readonly int _inputSize;
    private readonly FacePoint[] _anchors;

    public BlazeFaceDetector(BlazeFaceDetectorOptions options, OnnxRuntimeOptions runtime)
    {
        _options = options;
        _model = new OnnxModel(options.ModelPath, runtime);
        var (height, width) = _model.ImageSize;
        if (height != width)
        {
            throw new InvalidOperationException($"BlazeFace takes a square input; {options.ModelPath} takes {width}×{height}.");
        }

        _inputSize = width;
        _anchors = BlazeFaceAnchors.Generate(_inputSize);
    }

    public int InputSize => _inputSize;

    public IReadOnlyList<DetectedFace> Detect(RgbaImage image)
    {
        var side = Math.Max(image.Width, image.Height);
        var first = DetectInSquare(image, (image.Width - side) / 2f, (image.Height - side) / 2f, side);
        var scale = (float)side / _inputSize;
        var faces = new List<FaceCandidate>(first.Count);
        foreach (var face in first)
        {
            var boxSide = Math.Max(face.Box.Width, face.Box.Height);
            var small = boxSide / scale < _options.RefineBelowFraction * _inputSize;
            faces.Add(small || face.Score < _options.ConfirmBelow ? Refine(image, face) : face);
        }

        // Two refined boxes may now sit on the same face.
        return [.. NonMaxSuppression.Plain(faces, _options.IouThreshold, _options.MaxFaces).Select(f => f.ToDetectedFace())];
    }

    /// <summary>Detects in the square <c>[left, left + side) × [top, top + side)</c> of the image; outside is black.</summary>
    internal List<FaceCandidate> DetectInSquare(RgbaImage image, float left, float top, float side)
    {
        using var input = _model.RentInput();
        var k = side / _inputSize;
        var crop = new CropGeometry(new FacePoint(left + side / 2, top + side / 2), side, 0, _inputSize);
        ImageWarp.ToTensor(image, crop.WarpMap, _inputSize, _inputSize, ModelInput.Rgb255 with { ChannelsFirst = _model.ChannelsFirst }, input.Span);
        var candidates = DecodeOutputs(_model.Run(input));
        return [.. candidates.Select(c => c.Map(p => new FacePoint(left + p.X * k, top + p.Y * k), k))];
    }

    /// <summary>Model inference alone, for the bench.</summary>
    internal float[][] RunModel(float[] input) => _model.Run(input);

    internal int ModelInputLength => _model.InputLength;

    private List<FaceCandidate> DecodeOutputs(float[][] outputs)
    {
        var rows = BlazeFaceDecoder.ToRows(outputs, _anchors.Length);
        var candidates = BlazeFaceDecoder.Decode(rows, _anchors, _options.ScoreThreshold);
        return _options.WeightedSuppression
            ? NonMaxSuppression.Weighted(candidates, _options.IouThreshold, _options.MaxFaces)
            : NonMaxSuppression.Plain(candidates, _options.IouThreshold, _options.MaxFaces);
    }

    private FaceCandidate Refine(RgbaImage image, FaceCandidate face)
    {
        var side = Math.Max(face.Box.Width, face.Box.Height) * _options.RefineCropScale;
        var centre = face.Box.Centre;
        var again = DetectInSquare(image, centre.X - side / 2, centre.Y - side / 2, side);
        var best = again
            .Where(c => NonMaxSuppression.IntersectionOverUnion(c.Box, face.Box) > _options.IouThreshold)
            .OrderByDescending(c => c.Score)
            .FirstOrDefault();
        // The crop's geometry is the finer one; the score is the better of the two looks.
        return best.Keypoints is null ? face : best with { Score = Math.Max(best.Score, face.Score) };
    }

    public void Dispose() => _model.Dispose();
}
