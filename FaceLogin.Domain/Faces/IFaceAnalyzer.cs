namespace FaceLogin.Domain.Faces;

/// <summary>
/// The local engine's whole pipeline behind one call: decode → detect → landmarks → quality → align → embed.
/// The local face collection is built on it; the evaluate and bench commands measure it.
/// </summary>
public interface IFaceAnalyzer
{
    /// <summary>Names the recogniser and its alignment, e.g. "dlib-resnet-v1+flip/68pt"; embeddings of different versions are not comparable.</summary>
    string ModelVersion { get; }

    /// <summary>Length of every embedding this analyzer returns.</summary>
    int EmbeddingLength { get; }

    /// <summary>
    /// Analyses an image. Faces come largest first. With <paramref name="embed"/> = <see cref="EmbedFaces.Largest"/>
    /// only the first face carries an embedding; with <see cref="EmbedFaces.None"/> none does.
    /// Throws <see cref="FaceImageRejectedException"/> for an image that cannot be used at all; never for a face problem.
    /// </summary>
    FaceAnalysis Analyze(ReadOnlyMemory<byte> image, EmbedFaces embed, CancellationToken cancellationToken);
}

public enum EmbedFaces { None, Largest, All }

public sealed record FaceAnalysis(int ImageWidth, int ImageHeight, IReadOnlyList<AnalyzedFace> Faces);

/// <param name="QualityIssues">Reasons this face, on its own, would not be indexed (never <see cref="UnindexedReason.ExceedsMaxFaces"/>: that depends on the others).</param>
/// <param name="Embedding">L2-normalised, or null when not asked for.</param>
public sealed record AnalyzedFace(FaceDetail Detail, IReadOnlyList<UnindexedReason> QualityIssues, float[]? Embedding)
{
    /// <summary>The face's 68 landmarks in pixels, when the engine located them (the local engine does; the liveness judge needs them).</summary>
    public FaceShape? Shape { get; init; }
}
