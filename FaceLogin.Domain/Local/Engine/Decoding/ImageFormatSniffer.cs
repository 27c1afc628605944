namespace FaceLogin.Domain.Local.Engine.Decoding;

internal enum SniffedFormat { Unknown, Jpeg, Png }

/// <summary>Judges the format by the file's magic bytes, never by its name or declared content type.</summary>
internal static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static SniffedFormat Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return SniffedFormat.Jpeg;
        }

        return bytes.StartsWith(PngSignature) ? SniffedFormat.Png : SniffedFormat.Unknown;
    }
}
