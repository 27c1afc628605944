using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Embedding;

namespace FaceLogin.Domain.Local.Engine.Recognition;

/// <summary>One recogniser inside <see cref="FaceRecognizer"/>: how it cuts its chip, the network, and its share of a fusion.</summary>
/// <param name="Weight">Share of the fused cosine (the parts' weights add up to 1; a single recogniser has 1).</param>
public sealed record RecognizerPart(string Name, IFaceAligner Aligner, ChipEmbedder Embedder, float Weight);

/// <summary>
/// Turns a located face into the identity vector the collection stores: one recogniser, or several fused. A fusion is the
/// concatenation of each part's unit vector scaled by √weight, which is a unit vector again and whose cosine with another
/// is Σ weight·cosine of the parts: score fusion by a weighted mean of cosines, with nothing but one vector to store.
/// </summary>
public sealed class FaceRecognizer : IDisposable
{
    private readonly float[] _factors;

    public FaceRecognizer(string version, IReadOnlyList<RecognizerPart> parts, SimilarityScale scale)
    {
        if (parts.Count == 0 || Math.Abs(parts.Sum(p => p.Weight) - 1f) > 1e-4f || parts.Any(p => p.Weight <= 0))
        {
            throw new ArgumentException("A recogniser needs parts with positive weights that add up to 1.", nameof(parts));
        }

        Version = version;
        Parts = parts;
        Scale = scale;
        _factors = [.. parts.Select(p => MathF.Sqrt(p.Weight))];
        EmbeddingLength = parts.Sum(p => p.Embedder.Length);
    }

    /// <summary>The model version the collection records: embeddings of different versions are not comparable.</summary>
    public string Version { get; }

    public IReadOnlyList<RecognizerPart> Parts { get; }

    /// <summary>This recogniser's cosine ↔ 0..100 calibration (docs/accuracy.md).</summary>
    public SimilarityScale Scale { get; }

    public int EmbeddingLength { get; }

    public float[] Embed(RgbaImage image, FaceShape shape, StageTimings? timings)
    {
        if (Parts.Count == 1)
        {
            return EmbedPart(Parts[0], image, shape, timings);
        }

        var result = new float[EmbeddingLength];
        var offset = 0;
        for (var i = 0; i < Parts.Count; i++)
        {
            var part = EmbedPart(Parts[i], image, shape, timings);
            for (var j = 0; j < part.Length; j++)
            {
                result[offset + j] = part[j] * _factors[i];
            }

            offset += part.Length;
        }

        return result;
    }

    /// <summary>How strongly the first recogniser sees a face in the chip cut from this shape: its unnormalised output length.</summary>
    public float Strength(RgbaImage image, FaceShape shape) => Parts[0].Embedder.RawNorm(Parts[0].Aligner.Align(image, shape));

    private static float[] EmbedPart(RecognizerPart part, RgbaImage image, FaceShape shape, StageTimings? timings)
    {
        var start = Stopwatch.GetTimestamp();
        var chip = part.Aligner.Align(image, shape);
        timings?.Add(PipelineStage.Align, start);
        start = Stopwatch.GetTimestamp();
        var embedding = part.Embedder.Embed(chip);
        timings?.Add(PipelineStage.Embed, start);
        return embedding;
    }

    public void Dispose()
    {
        foreach (var part in Parts)
        {
            part.Embedder.Dispose();
        }
    }
}
