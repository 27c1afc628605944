using System.Buffers.Binary;

namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>
/// Tells a JPEG whose entropy-coded data is too short for the size its frame header declares: a cut-off file with an end
/// marker put back, or a header edited to claim more pixels. libjpeg decodes such a file with a warning, filling the missing
/// blocks with grey, and Skia reports success, so the decoder asks this first.
/// </summary>
/// <remarks>
/// The bound is one bit per 8×8 block of the first component: every Huffman-coded scan that carries a block's DC value spends
/// at least one bit on it (the shortest Huffman code), whatever the content, sampling or progression. Real files carry many
/// times more. Arithmetic-coded and lossless frames have no such floor and are not judged.
/// </remarks>
internal static class JpegScanDataBound
{
    /// <summary>False when the file's scan data cannot hold the declared frame; true when it can, or when the file cannot be walked (the codec judges those).</summary>
    public static bool HoldsEnoughData(ReadOnlySpan<byte> jpeg)
    {
        int width = 0, height = 0;
        var judged = false;
        long scanBytes = 0;
        var at = 2;
        while (at + 1 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return true;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker == 0xD9)
            {
                break;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                at += 2;
                continue;
            }

            if (at + 4 > jpeg.Length)
            {
                return true;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            var segmentEnd = at + 2 + length;
            if (length < 2 || segmentEnd > jpeg.Length)
            {
                return true;
            }

            if (IsHuffmanDctFrame(marker) && length >= 8)
            {
                height = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 7)..]);
                judged = true;
            }
            else if (IsOtherFrame(marker))
            {
                judged = false;
            }

            at = segmentEnd;
            if (marker == 0xDA)
            {
                var dataStart = at;
                at = EndOfScanData(jpeg, at);
                scanBytes += at - dataStart;
            }
        }

        if (!judged || width == 0 || height == 0)
        {
            return true;
        }

        var blocks = (long)((width + 7) / 8) * ((height + 7) / 8);
        return scanBytes * 8 >= blocks;
    }

    /// <summary>Baseline, extended and progressive Huffman DCT frames (SOF0-2, 5-6).</summary>
    private static bool IsHuffmanDctFrame(byte marker) => marker is 0xC0 or 0xC1 or 0xC2 or 0xC5 or 0xC6;

    /// <summary>Lossless and arithmetic-coded frames (SOF3, 7, 9-11, 13-15).</summary>
    private static bool IsOtherFrame(byte marker) => marker is 0xC3 or 0xC7 or (>= 0xC9 and <= 0xCB) or (>= 0xCD and <= 0xCF);

    /// <summary>The first marker after entropy-coded data: 0xFF then anything but a stuffed zero or a restart marker.</summary>
    private static int EndOfScanData(ReadOnlySpan<byte> jpeg, int at)
    {
        for (; at + 1 < jpeg.Length; at++)
        {
            if (jpeg[at] == 0xFF && jpeg[at + 1] != 0x00 && jpeg[at + 1] is not (>= 0xD0 and <= 0xD7))
            {
                return at;
            }
        }

        return jpeg.Length;
    }
}
