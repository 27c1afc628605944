using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>
/// BlazeFace (MediaPipe's back-camera model, as shipped by human): a letterboxed 256 px pass over the whole image,
/// then a second pass on a crop around each small face; and, when asked, a look at one face turned upside down.
/// </summary>
/// <remarks>
/// BlazeFace was trained on upright faces, yet finds most faces in a photo turned 180° (94 of 100 lfw-dev photos) and
/// reports their keypoints where an upright face's would be: the landmarks, the pose (roll ≈ 0) and the embedding then
/// describe a face that is not there, and such a photo matched nobody, not even the same photo upright
/// (tools/orientation-probe, docs/engine.md "Upside-down faces"). So <see cref="FaceAnalyzer"/> has the largest face, the one
/// every door judges, looked at again on a crop turned 180° (<see cref="LookUpsideDown"/>); when that look scores clearly
/// higher, the face is upside down and its box and keypoints are the turned look's, mapped back: the landmarks then follow
/// the real eyes and the pose reads a roll near ±180°, which the admission policy refuses. Faces turned 90° need no such
/// look: the keypoints follow them (roll ≈ ±90°).
/// </remarks>
public sealed class BlazeFaceDetector : IFaceDetector, IUpsideDownFaceFinder, IDisposable
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
    internal List<FaceCandidate> DetectInSquare(RgbaImage image, float left, float top, float side) =>
        DetectInCrop(image, new CropGeometry(new FacePoint(left + side / 2, top + side / 2), side, 0, _inputSize));

    /// <summary>Detects in a square crop, upright or turned by a multiple of 90°, and maps what it finds back to the image.</summary>
    private List<FaceCandidate> DetectInCrop(RgbaImage image, CropGeometry crop)
    {
        using var input = _model.RentInput();
        ImageWarp.ToTensor(image, crop.WarpMap, _inputSize, _inputSize, ModelInput.Rgb255 with { ChannelsFirst = _model.ChannelsFirst }, input.Span);
        var candidates = DecodeOutputs(_model.Run(input));
        return [.. candidates.Select(c => c.MapTurned(p => crop.ToImage(p.X, p.Y)))];
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

    /// <summary>
    /// The face again on two equal crops around it, upright and turned 180°: the turned look's detection, mapped back to the
    /// image, and the margin by which it scores higher; null when the turned look finds nothing there. Equal crops, because
    /// BlazeFace scores one face differently at different scales; a margin, because it scores many upside-down faces nearly as
    /// high as upright ones (and some upright faces nearly as high turned): within ±<see cref="BlazeFaceDetectorOptions.UpsideDownMargin"/>
    /// the detector cannot tell.
    /// </summary>
    public UpsideDownLook? LookUpsideDown(RgbaImage image, DetectedFace face)
    {
        if (!_options.UpsideDownLook)
        {
            return null;
        }

        var side = Math.Max(face.Box.Width, face.Box.Height) * _options.RefineCropScale;
        var turned = BestOverlapping(DetectInCrop(image, new CropGeometry(face.Box.Centre, side, Math.PI, _inputSize)), face.Box);
        if (turned.Keypoints is null)
        {
            return null;
        }

        var upright = BestOverlapping(DetectInCrop(image, new CropGeometry(face.Box.Centre, side, 0, _inputSize)), face.Box);
        var margin = turned.Score - (upright.Keypoints is null ? face.Score : upright.Score);
        var verdict = margin > _options.UpsideDownMargin ? UpsideDownVerdict.UpsideDown
            : margin < -_options.UpsideDownMargin ? UpsideDownVerdict.Upright
            : UpsideDownVerdict.Undecided;
        return new UpsideDownLook(turned.ToDetectedFace(), margin, verdict);
    }

    private FaceCandidate BestOverlapping(List<FaceCandidate> candidates, PixelRect box) => candidates
        .Where(c => NonMaxSuppression.IntersectionOverUnion(c.Box, box) > _options.IouThreshold)
        .OrderByDescending(c => c.Score)
        .FirstOrDefault();

    public void Dispose() => _model.Dispose();
}
