using System.Buffers.Binary;
using System.IO.Compression;
using FaceLogin.Domain.Faces;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine;

/// <summary>Images made in the test: quadrant patterns whose orientation is easy to check, encodings, EXIF and PNG surgery.</summary>
internal static class TestImages
{
    public static readonly SKColor TopLeft = new(220, 30, 30);
    public static readonly SKColor TopRight = new(30, 200, 40);
    public static readonly SKColor BottomLeft = new(30, 40, 210);
    public static readonly SKColor BottomRight = new(240, 220, 30);

    /// <summary>Four flat quadrants (red, green / blue, yellow), so every rotation and flip is distinguishable.</summary>
    public static SKBitmap Quadrants(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint();
        void Fill(SKColor colour, float x, float y)
        {
            paint.Color = colour;
            canvas.DrawRect(x, y, width / 2f, height / 2f, paint);
        }

        Fill(TopLeft, 0, 0);
        Fill(TopRight, width / 2f, 0);
        Fill(BottomLeft, 0, height / 2f);
        Fill(BottomRight, width / 2f, height / 2f);
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Jpeg(SKBitmap bitmap, int quality = 95) => Encode(bitmap, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Png);

    /// <summary>The colour at the centre of a quadrant of a decoded image.</summary>
    public static SKColor QuadrantColour(RgbaImage image, bool right, bool bottom)
    {
        var x = right ? image.Width * 3 / 4 : image.Width / 4;
        var y = bottom ? image.Height * 3 / 4 : image.Height / 4;
        var i = (y * image.Width + x) * 4;
        return new SKColor(image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    public static bool Near(SKColor a, SKColor b, int tolerance = 12) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    /// <summary>
    /// Inserts an APP1 Exif segment holding only the Orientation tag (0x0112) right after the JPEG's SOI marker,
    /// the way a phone records that it was held sideways.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        // TIFF header (big-endian "MM"), IFD0 at offset 8 with one entry: tag 0x0112, type SHORT (3), count 1, value.
        var tiff = new byte[8 + 2 + 12 + 4];
        tiff[0] = (byte)'M';
        tiff[1] = (byte)'M';
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 3);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), (ushort)orientation);
        // Next-IFD offset 0 is already zero.
        byte[] exifHeader = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0];
        var payloadLength = exifHeader.Length + tiff.Length;
        var segment = new byte[4 + payloadLength];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payloadLength + 2));
        exifHeader.CopyTo(segment, 4);
        tiff.CopyTo(segment, 4 + exifHeader.Length);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>
    /// A valid PNG of a few hundred bytes that declares <paramref name="width"/>×<paramref name="height"/> pixels:
    /// the header of a decompression bomb (its rows are never supplied).
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(stream, "IHDR", ihdr);
        // One compressed row of zeros: a real bomb would inflate to gigabytes; this one only has to look the part.
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(new byte[1 + Math.Min(width, 4096) * 3]);
            }

            WriteChunk(stream, "IDAT", compressed.ToArray());
        }

        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>
    /// A real 16×16 baseline JPEG whose frame header (SOF0) is rewritten to declare <paramref name="width"/>×<paramref name="height"/>:
    /// a few hundred bytes that claim far more pixels than they hold.
    /// </summary>
    public static byte[] JpegDeclaring(int width, int height)
    {
        using var bitmap = Quadrants(16, 16);
        var jpeg = Jpeg(bitmap);
        for (var i = 2; i < jpeg.Length - 9; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0)
            {
                // FFC0, length (2), precision (1), height (2), width (2).
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), checked((ushort)height));
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), checked((ushort)width));
                return jpeg;
            }
        }

        throw new InvalidOperationException("Skia's JPEG has no SOF0 marker.");
    }

    /// <summary>The PNG with the CRC of its first <paramref name="chunkType"/> chunk damaged (the chunk's data intact).</summary>
    public static byte[] WithBadCrc(byte[] png, string chunkType)
    {
        var damaged = (byte[])png.Clone();
        for (var at = 8; at < damaged.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(damaged.AsSpan(at));
            var crcAt = at + 8 + length;
            if (System.Text.Encoding.ASCII.GetString(damaged, at + 4, 4) == chunkType)
            {
                damaged[crcAt] ^= 0x55;
                return damaged;
            }

            at = crcAt + 4;
        }

        throw new ArgumentException($"The PNG has no {chunkType} chunk.", nameof(chunkType));
    }

    /// <summary>A complete 1×1 GIF89a (white pixel).</summary>
    public static byte[] Gif1x1() =>
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];

    /// <summary>A complete 24-bit Windows bitmap (BITMAPINFOHEADER), black, with rows padded to four bytes.</summary>
    public static byte[] Bmp(int width, int height)
    {
        var rowBytes = (width * 3 + 3) / 4 * 4;
        var bmp = new byte[54 + rowBytes * height];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        stream.Write(crc);
    }

    /// <summary>PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
