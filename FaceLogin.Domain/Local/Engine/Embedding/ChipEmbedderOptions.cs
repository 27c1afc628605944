namespace FaceLogin.Domain.Local.Engine.Embedding;

/// <param name="ModelPath">A recogniser with the house input contract (docs/engine.md): NHWC RGB 0..255 chips in, one vector per chip out.</param>
public sealed record ChipEmbedderOptions(string ModelPath)
{
    /// <summary>Also embed the chip's mirror image and combine both (measured gain per recogniser: docs/accuracy.md).</summary>
    public bool FlipAveraging { get; init; } = true;
}
