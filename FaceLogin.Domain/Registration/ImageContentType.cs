namespace FaceLogin.Domain.Registration;

/// <summary>The content type recorded with a stored image, judged from its bytes (the engine accepts only JPEG and PNG).</summary>
internal static class ImageContentType
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Unknown = "application/octet-stream";

    public static string Sniff(ReadOnlySpan<byte> image) =>
        image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg
        : image.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? Png
        : Unknown;
}
