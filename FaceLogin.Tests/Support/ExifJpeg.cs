namespace FaceLogin.Tests.Support;

/// <summary>Adds an EXIF orientation tag to a JPEG, as a phone camera writes one: the pixels stay as stored, the tag says how to show them.</summary>
public static class ExifJpeg
{
    /// <param name="orientation">EXIF orientation 1..8 (6 = rotate 90° clockwise to display).</param>
    public static byte[] WithOrientation(byte[] jpeg, ushort orientation)
    {
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        }

        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, first IFD at offset 8
            0x00, 0x01,                                               // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,           // tag 0x0112 Orientation, type SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,  // the value, padded to four bytes
            0x00, 0x00, 0x00, 0x00,                                   // no next IFD
        ];
        byte[] payload = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, .. tiff];
        var length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [0xFF, 0xD8, .. app1, .. jpeg.AsSpan(2)];
    }
}
