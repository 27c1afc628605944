using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Decoding;

namespace FaceLogin.Tests.Local.Engine.Decoding;

public sealed class DecodingHelpersTests
{
    [Fact]
    public void Formats_are_told_by_magic_bytes()
    {
        Assert.Equal(SniffedFormat.Jpeg, ImageFormatSniffer.Sniff([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Equal(SniffedFormat.Png, ImageFormatSniffer.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
        Assert.Equal(SniffedFormat.Unknown, ImageFormatSniffer.Sniff([0xFF, 0xD8]));
        Assert.Equal(SniffedFormat.Unknown, ImageFormatSniffer.Sniff([0x89, 0x50, 0x4E, 0x47]));
        Assert.Equal(SniffedFormat.Unknown, ImageFormatSniffer.Sniff("GIF89a"u8));
    }

    [Fact]
    public void Rotating_clockwise_moves_the_first_pixel_to_the_top_right()
    {
        // 3×2 image with pixel values 0..5 in the red channel.
        var source = Numbered(3, 2);

        var rotated = ExifOrientationTransform.Apply(source, ExifOrientation.Rotate90Clockwise);

        Assert.Equal((2, 3), (rotated.Width, rotated.Height));
        // Upright rows: [3 0] [4 1] [5 2].
        Assert.Equal(new byte[] { 3, 0, 4, 1, 5, 2 }, Reds(rotated));
    }

    [Theory]
    [InlineData(1, new byte[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(2, new byte[] { 2, 1, 0, 5, 4, 3 })]
    [InlineData(3, new byte[] { 5, 4, 3, 2, 1, 0 })]
    [InlineData(4, new byte[] { 3, 4, 5, 0, 1, 2 })]
    [InlineData(5, new byte[] { 0, 3, 1, 4, 2, 5 })]
    [InlineData(7, new byte[] { 5, 2, 4, 1, 3, 0 })]
    [InlineData(8, new byte[] { 2, 5, 1, 4, 0, 3 })]
    public void Every_orientation_maps_pixels_as_the_exif_standard_says(int orientation, byte[] expected)
    {
        Assert.Equal(expected, Reds(ExifOrientationTransform.Apply(Numbered(3, 2), (ExifOrientation)orientation)));
    }

    [Fact]
    public void Area_downscaling_averages_each_block()
    {
        // 4×2 → 2×1: each target pixel averages a 2×2 block.
        var downscaler = new AreaDownscaler(4, 2, 2, 1);
        downscaler.AddRow(Row(10, 20, 100, 200));
        downscaler.AddRow(Row(30, 40, 0, 100));

        Assert.Equal(25, downscaler.Target[0]);
        Assert.Equal(100, downscaler.Target[4]);
    }

    [Fact]
    public void Fitting_keeps_the_aspect_ratio()
    {
        Assert.Equal((1280, 720), SkiaImageDecoder.FitLongestSide(1920, 1080, 1280));
        Assert.Equal((640, 480), SkiaImageDecoder.FitLongestSide(640, 480, 1280));
        Assert.Equal((1, 1280), SkiaImageDecoder.FitLongestSide(2, 40_000, 1280));
    }

    private static RgbaImage Numbered(int width, int height)
    {
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            pixels[i * 4] = (byte)i;
        }

        return new RgbaImage(width, height, pixels);
    }

    private static byte[] Reds(RgbaImage image) => [.. Enumerable.Range(0, image.Width * image.Height).Select(i => image.Pixels[i * 4])];

    private static byte[] Row(params byte[] reds) => [.. reds.SelectMany(r => new byte[] { r, r, r, 255 })];
}
