using System.Collections.Concurrent;
using System.Text;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Tests.Local.Index;

/// <summary>
/// A deterministic <see cref="IFaceAnalyzer"/> for collection tests: an "image" is the UTF-8 bytes of a name, and each name is
/// scripted with the faces it holds. It honours the contract (largest first; embeddings only as asked) and counts its calls.
/// Unscripted bytes are refused like a non-image would be.
/// </summary>
internal sealed class ScriptedFaceAnalyzer(string modelVersion = "scripted-v1", int embeddingLength = 8) : IFaceAnalyzer
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<ScriptedFace>> _images = new(StringComparer.Ordinal);
    private int _calls;

    public string ModelVersion => modelVersion;

    public int EmbeddingLength => embeddingLength;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>An exception to throw for every image instead of analysing (null: analyse).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Scripts an image; faces are given in any order and returned largest first. Returns the image's bytes.</summary>
    public byte[] Image(string name, params ScriptedFace[] faces)
    {
        _images[name] = faces.OrderByDescending(f => f.Box.Width * f.Box.Height).ToList();
        return Encoding.UTF8.GetBytes(name);
    }

    public FaceAnalysis Analyze(ReadOnlyMemory<byte> image, EmbedFaces embed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (!_images.TryGetValue(Encoding.UTF8.GetString(image.Span), out var faces))
        {
            throw new FaceImageRejectedException(ImageProblem.UnsupportedFormat, "Not a scripted image.");
        }

        var analyzed = faces.Select((face, i) => new AnalyzedFace(
            face.Detail,
            face.QualityIssues,
            embed == EmbedFaces.All || (embed == EmbedFaces.Largest && i == 0) ? face.Embedding.ToArray() : null)).ToList();
        return new FaceAnalysis(640, 480, analyzed);
    }
}

internal sealed record ScriptedFace(BoundingBox Box, float[] Embedding, params UnindexedReason[] QualityIssues)
{
    public FaceDetail Detail { get; } = new(
        Box,
        Confidence: 99.5f,
        new FacePose(0, 0, 0),
        new FaceQuality(Brightness: 80, Sharpness: 90, FaceSizePx: Box.Width * 640),
        new FaceLandmarks5(default, default, default, default, default));

    /// <summary>A face of the given size (fraction of the image width) whose embedding points along <paramref name="direction"/>.</summary>
    public static ScriptedFace Of(float[] direction, float size = 0.3f, params UnindexedReason[] issues) =>
        new(new BoundingBox(0.1f, 0.1f, size, size), direction, issues);
}
