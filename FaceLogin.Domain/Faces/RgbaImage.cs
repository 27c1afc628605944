namespace FaceLogin.Domain.Faces;

/// <summary>
/// Decoded, EXIF-oriented pixels: 8-bit RGBA, row-major, no row padding (stride = 4 × width).
/// The one picture type every stage of the local engine reads, so no stage depends on the decoder's library.
/// </summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != checked(width * height * 4))
        {
            throw new ArgumentException($"Expected {width * height * 4} bytes for {width}×{height} RGBA, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public int Stride => Width * 4;

    public static RgbaImage Blank(int width, int height) => new(width, height, new byte[checked(width * height * 4)]);
}
