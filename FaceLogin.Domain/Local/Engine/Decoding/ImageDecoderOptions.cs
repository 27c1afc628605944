namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>Limits on what the decoder accepts, checked before any pixel is allocated.</summary>
public sealed record ImageDecoderOptions
{
    /// <summary>Rekognition's limit for image bytes (5 MB), so both modes refuse the same uploads.</summary>
    public long MaxBytes { get; init; } = 5L * 1024 * 1024;

    /// <summary>Header dimensions above this are refused before decoding: a decompression bomb declares huge dimensions in a few bytes.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// Images are decoded scaled so that the longest side is at most this many pixels: the detector sees 256 px anyway,
    /// and a 1280 px face is far more than the 150 px chip needs.
    /// </summary>
    public int MaxSide { get; init; } = 1280;
}
