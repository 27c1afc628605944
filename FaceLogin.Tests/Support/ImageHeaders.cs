using System.Buffers.Binary;

namespace FaceLogin.Tests.Support;

/// <summary>
/// Images that are only a header: what a decompression bomb declares before its first pixel. Enough for every check made from
/// the header; a decoder that got past those would find no data (so a test also sees when a check did not stop it).
/// </summary>
public static class ImageHeaders
{
    /// <summary>SOI, a frame header (SOF2 progressive or SOF0 baseline) with the components' sampling, EOI.</summary>
    /// <param name="sampling">Per component, horizontal×16 + vertical (0x11: no subsampling; 0x22 then 0x11, 0x11: 4:2:0).</param>
    public static byte[] Jpeg(int width, int height, bool progressive, params byte[] sampling)
    {
        sampling = sampling.Length == 0 ? [0x11, 0x11, 0x11] : sampling;
        var frameLength = 8 + 3 * sampling.Length;
        var bytes = new byte[2 + 2 + frameLength + 2];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = progressive ? (byte)0xC2 : (byte)0xC0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)frameLength);
        bytes[6] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(7), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(9), (ushort)width);
        bytes[11] = (byte)sampling.Length;
        for (var c = 0; c < sampling.Length; c++)
        {
            bytes[12 + 3 * c] = (byte)(c + 1);
            bytes[13 + 3 * c] = sampling[c];
        }

        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    /// <summary>The PNG signature and an IHDR chunk (8-bit RGB), nothing else.</summary>
    public static byte[] Png(int width, int height)
    {
        var bytes = new byte[8 + 8 + 13 + 4];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 2;
        return bytes;
    }
}
