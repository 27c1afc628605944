namespace FaceLogin.Domain.Faces;

/// <summary>Turns the bytes of an uploaded photo or camera frame into pixels the engine can read.</summary>
public interface IImageDecoder
{
    /// <summary>
    /// Decodes a JPEG or PNG, upright (EXIF orientation applied) and scaled down to the configured longest side.
    /// Throws <see cref="FaceImageRejectedException"/> for anything else; no other exception escapes.
    /// </summary>
    RgbaImage Decode(ReadOnlySpan<byte> bytes);
}
