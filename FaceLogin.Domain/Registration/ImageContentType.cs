using FaceLogin.Domain.Local.Engine.Decoding;

namespace FaceLogin.Domain.Registration;

/// <summary>The content type recorded with a stored image, judged from its bytes as the engine judges them (JPEG and PNG only).</summary>
internal static class ImageContentType
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Unknown = "application/octet-stream";

    public static string Sniff(ReadOnlySpan<byte> image) => ImageFormatSniffer.Sniff(image) switch
    {
        SniffedFormat.Jpeg => Jpeg,
        SniffedFormat.Png => Png,
        _ => Unknown,
    };
}
