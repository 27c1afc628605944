namespace FaceLogin.Domain.Local.Engine.Embedding;

public sealed record DlibResNetEmbedderOptions(string ModelPath)
{
    /// <summary>Average the embeddings of the chip and its mirror image (measured gain: docs/accuracy.md).</summary>
    public bool FlipAveraging { get; init; } = true;
}
