using System.Buffers.Binary;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// What a JPEG's frame header or a PNG's IHDR declares, read from the bytes alone (no codec, nothing allocated): enough to
/// price the decode before any pixel or coefficient memory exists.
/// </summary>
/// <param name="Components">Colour components (JPEG: 1 grey, 3 YCbCr, 4 CMYK); 0 for a PNG.</param>
/// <param name="SampledBlocks">
/// JPEG only: 8×8 blocks over all components after chroma subsampling, i.e. what a progressive decoder keeps as coefficients
/// (64 × 2 bytes each) for the whole image until the last scan. 0 for a PNG.
/// </param>
public readonly record struct ImageHeader(int Width, int Height, bool IsJpeg, bool IsProgressive, int Components, long SampledBlocks)
{
    public long Pixels => (long)Width * Height;

    /// <summary>
    /// Bytes libjpeg's whole-image coefficient buffer takes for a progressive JPEG (2 bytes per DCT coefficient, 64 per block);
    /// 0 for anything else, which is decoded a row band at a time. Scaled output does not shrink it: the coefficients of
    /// every block are kept until the last scan, whatever size the pixels come out at.
    /// </summary>
    public long ProgressiveCoefficientBytes => IsJpeg && IsProgressive ? SampledBlocks * 64 * 2 : 0;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The header, or null when the bytes are no JPEG/PNG or the frame header cannot be found (the decoder judges those).</summary>
    public static ImageHeader? TryRead(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 24 && bytes.StartsWith(PngSignature) && bytes[12..16].SequenceEqual("IHDR"u8))
        {
            var width = BinaryPrimitives.ReadInt32BigEndian(bytes[16..]);
            var height = BinaryPrimitives.ReadInt32BigEndian(bytes[20..]);
            return width > 0 && height > 0 ? new ImageHeader(width, height, IsJpeg: false, IsProgressive: false, 0, 0) : null;
        }

        return bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? ReadJpegFrame(bytes) : null;
    }

    /// <summary>Walks the marker segments up to the first frame header (SOF0–SOF15 but DHT, JPG and DAC).</summary>
    private static ImageHeader? ReadJpegFrame(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 3 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return null;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null; // image data before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                return null;
            }

            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return ParseFrame(jpeg.Slice(at + 4, length - 2), progressive: marker is 0xC2 or 0xC6 or 0xCA or 0xCE);
            }

            at += 2 + length;
        }

        return null;
    }

    private static ImageHeader? ParseFrame(ReadOnlySpan<byte> frame, bool progressive)
    {
        if (frame.Length < 6)
        {
            return null;
        }

        int height = BinaryPrimitives.ReadUInt16BigEndian(frame[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(frame[3..]);
        int components = frame[5];
        if (width == 0 || height == 0 || components == 0 || frame.Length < 6 + 3 * components)
        {
            return null;
        }

        int maxH = 1, maxV = 1;
        for (var c = 0; c < components; c++)
        {
            var sampling = frame[6 + 3 * c + 1];
            maxH = Math.Max(maxH, sampling >> 4);
            maxV = Math.Max(maxV, sampling & 0x0F);
        }

        // libjpeg's per-component block grid: ceil(ceil(size × factor / max) / 8) blocks each way.
        long blocks = 0;
        for (var c = 0; c < components; c++)
        {
            var sampling = frame[6 + 3 * c + 1];
            int h = Math.Max(1, sampling >> 4), v = Math.Max(1, sampling & 0x0F);
            var componentWidth = ((long)width * h + maxH - 1) / maxH;
            var componentHeight = ((long)height * v + maxV - 1) / maxV;
            blocks += ((componentWidth + 7) / 8) * ((componentHeight + 7) / 8);
        }

        return new ImageHeader(width, height, IsJpeg: true, progressive, components, blocks);
    }
}
