using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Decoding;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Decoding;

public sealed class SkiaImageDecoderTests
{
    private static readonly SkiaImageDecoder Decoder = new(new ImageDecoderOptions());

    [Fact]
    public void Jpeg_and_png_decode_to_the_same_pixels_they_hold()
    {
        using var bitmap = TestImages.Quadrants(200, 120);
        foreach (var bytes in new[] { TestImages.Jpeg(bitmap), TestImages.Png(bitmap) })
        {
            var image = Decoder.Decode(bytes);

            Assert.Equal((200, 120), (image.Width, image.Height));
            Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: false, bottom: false), TestImages.TopLeft));
            Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: true, bottom: true), TestImages.BottomRight));
        }
    }

    [Fact]
    public void Empty_bytes_are_refused_as_empty()
    {
        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode([]));
        Assert.Equal(ImageProblem.Empty, ex.Problem);
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000")]
    [InlineData("BM this is a bitmap header")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("just some text that names itself photo.jpg")]
    public void Anything_but_jpeg_or_png_is_refused_by_content(string content)
    {
        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(System.Text.Encoding.Latin1.GetBytes(content)));
        Assert.Equal(ImageProblem.UnsupportedFormat, ex.Problem);
    }

    [Fact]
    public void A_webp_is_refused_even_though_skia_could_decode_it()
    {
        using var bitmap = TestImages.Quadrants(64, 64);
        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(TestImages.Encode(bitmap, SKEncodedImageFormat.Webp)));
        Assert.Equal(ImageProblem.UnsupportedFormat, ex.Problem);
    }

    [Fact]
    public void More_bytes_than_the_limit_are_refused_before_decoding()
    {
        using var bitmap = TestImages.Quadrants(64, 64);
        var jpeg = TestImages.Jpeg(bitmap);
        var strict = new SkiaImageDecoder(new ImageDecoderOptions { MaxBytes = jpeg.Length - 1 });

        var ex = Assert.Throws<FaceImageRejectedException>(() => strict.Decode(jpeg));

        Assert.Equal(ImageProblem.TooLarge, ex.Problem);
        Assert.NotNull(new SkiaImageDecoder(new ImageDecoderOptions { MaxBytes = jpeg.Length }).Decode(jpeg));
    }

    [Fact]
    public void The_default_byte_limit_is_rekognitions_five_megabytes()
    {
        var justOver = new byte[5 * 1024 * 1024 + 1];
        justOver[0] = 0xFF;
        justOver[1] = 0xD8;
        justOver[2] = 0xFF;

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(justOver));

        Assert.Equal(ImageProblem.TooLarge, ex.Problem);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.02)]
    public void A_truncated_jpeg_is_corrupt(double keep)
    {
        using var bitmap = TestImages.Quadrants(300, 200);
        var jpeg = TestImages.Jpeg(bitmap);

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(jpeg[..(int)(jpeg.Length * keep)]));

        Assert.Equal(ImageProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public void A_truncated_png_is_corrupt()
    {
        using var bitmap = TestImages.Quadrants(300, 200);
        var png = TestImages.Png(bitmap);

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(png[..(png.Length / 2)]));

        Assert.Equal(ImageProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public void Magic_bytes_followed_by_garbage_are_corrupt()
    {
        var random = new Random(7);
        foreach (var magic in new byte[][] { [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] })
        {
            var bytes = new byte[4096];
            random.NextBytes(bytes);
            magic.CopyTo(bytes, 0);

            var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(bytes));

            Assert.Equal(ImageProblem.Corrupt, ex.Problem);
        }
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 20_000, 20_000)]
    [InlineData(SKEncodedImageFormat.Png, 30_000, 30_000)]
    [InlineData(SKEncodedImageFormat.Jpeg, 20_000, 20_000)]
    [InlineData(SKEncodedImageFormat.Jpeg, 65_000, 1_000)]
    public void A_decompression_bomb_is_refused_from_its_header_without_allocating_its_pixels(SKEncodedImageFormat format, int width, int height)
    {
        var bomb = format == SKEncodedImageFormat.Png ? TestImages.PngDeclaring(width, height) : TestImages.JpegDeclaring(width, height);
        Assert.True(bomb.Length < 10_000, $"the bomb is {bomb.Length} bytes");
        Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(bomb)); // first-call JIT and statics are not the bomb's
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(bomb));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageProblem.TooManyPixels, ex.Problem);
        // 400 megapixels would be 1.6 GB of RGBA; what was allocated is the exception and its message.
        Assert.True(allocated < 64 * 1024, $"{allocated:N0} bytes were allocated refusing the bomb");
    }

    [Fact]
    public void A_large_jpeg_is_decoded_scaled_by_the_codec_not_at_full_size_then_shrunk()
    {
        using var bitmap = TestImages.Quadrants(4000, 3000);
        var jpeg = TestImages.Jpeg(bitmap);
        Decoder.Decode(jpeg);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var image = Decoder.Decode(jpeg);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((1280, 960), (image.Width, image.Height));
        // Full size would be 48 MB of RGBA; libjpeg's 3/8 scale gives 1500×1125 (6.75 MB) plus the 1280×960 result (4.9 MB).
        Assert.True(allocated < 4000L * 3000 * 4 / 2, $"{allocated:N0} bytes allocated: the JPEG was decoded at full size");
    }

    [Theory]
    [InlineData("IHDR")]
    [InlineData("IDAT")]
    public void A_png_whose_critical_chunk_fails_its_crc_is_corrupt(string chunk)
    {
        using var bitmap = TestImages.Quadrants(300, 200);
        var png = TestImages.WithBadCrc(TestImages.Png(bitmap), chunk);

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(png));

        Assert.Equal(ImageProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public void A_real_gif_and_a_real_bmp_that_skia_could_decode_are_refused_by_content()
    {
        foreach (var bytes in new[] { TestImages.Gif1x1(), TestImages.Bmp(4, 4) })
        {
            using var decodable = SKBitmap.Decode(bytes);
            Assert.NotNull(decodable);

            var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(bytes));

            Assert.Equal(ImageProblem.UnsupportedFormat, ex.Problem);
        }
    }

    [Fact]
    public void The_pixel_limit_is_configurable()
    {
        using var bitmap = TestImages.Quadrants(100, 100);
        var strict = new SkiaImageDecoder(new ImageDecoderOptions { MaxPixels = 9_999 });

        var ex = Assert.Throws<FaceImageRejectedException>(() => strict.Decode(TestImages.Png(bitmap)));

        Assert.Equal(ImageProblem.TooManyPixels, ex.Problem);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, 4000, 3000, 1280, 960)]
    [InlineData(SKEncodedImageFormat.Png, 3000, 2000, 1280, 853)]
    [InlineData(SKEncodedImageFormat.Png, 900, 2600, 443, 1280)]
    [InlineData(SKEncodedImageFormat.Jpeg, 1281, 400, 1280, 400)]
    public void Large_images_decode_with_the_longest_side_at_most_1280(SKEncodedImageFormat format, int width, int height, int expectedWidth, int expectedHeight)
    {
        using var bitmap = TestImages.Quadrants(width, height);

        var image = Decoder.Decode(TestImages.Encode(bitmap, format));

        Assert.Equal((expectedWidth, expectedHeight), (image.Width, image.Height));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: false, bottom: false), TestImages.TopLeft));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: true, bottom: false), TestImages.TopRight));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: false, bottom: true), TestImages.BottomLeft));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: true, bottom: true), TestImages.BottomRight));
    }

    [Theory]
    // EXIF orientation → where the stored top-left (red) quadrant appears once upright, and whether the axes swap.
    [InlineData(1, false, false, false)]
    [InlineData(2, true, false, false)]
    [InlineData(3, true, true, false)]
    [InlineData(4, false, true, false)]
    [InlineData(5, false, false, true)]
    [InlineData(6, true, false, true)]
    [InlineData(7, true, true, true)]
    [InlineData(8, false, true, true)]
    public void Exif_orientation_is_applied(int orientation, bool redRight, bool redBottom, bool swapsAxes)
    {
        using var bitmap = TestImages.Quadrants(160, 100);
        var jpeg = TestImages.WithExifOrientation(TestImages.Jpeg(bitmap), orientation);

        var image = Decoder.Decode(jpeg);

        Assert.Equal(swapsAxes ? (100, 160) : (160, 100), (image.Width, image.Height));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, redRight, redBottom), TestImages.TopLeft),
            $"orientation {orientation}: expected red at right={redRight} bottom={redBottom}");
    }

    [Fact]
    public void A_large_sideways_jpeg_is_scaled_and_turned_upright()
    {
        using var bitmap = TestImages.Quadrants(2600, 1600);
        var jpeg = TestImages.WithExifOrientation(TestImages.Jpeg(bitmap), 6);

        var image = Decoder.Decode(jpeg);

        Assert.Equal((788, 1280), (image.Width, image.Height));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: true, bottom: false), TestImages.TopLeft));
        Assert.True(TestImages.Near(TestImages.QuadrantColour(image, right: false, bottom: true), TestImages.BottomRight));
    }

    [Theory]
    [InlineData(300, 300)]
    [InlineData(1000, 1000)]
    [InlineData(4000, 4000)]
    public void A_jpeg_whose_header_claims_more_pixels_than_its_data_holds_is_corrupt(int width, int height)
    {
        // A real 16×16 JPEG, end marker and all, whose frame header says it is larger: libjpeg would fill the rest with grey.
        // The bound (one bit per block) is loose on purpose, so it catches gross lies, not a 16×16 file claiming 64×64.
        var liar = TestImages.JpegDeclaring(width, height);

        var ex = Assert.Throws<FaceImageRejectedException>(() => Decoder.Decode(liar));

        Assert.Equal(ImageProblem.Corrupt, ex.Problem);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_flat_jpeg_the_cheapest_to_encode_still_holds_enough_data(bool large)
    {
        // One colour compresses to the fewest bits a JPEG can spend per block: the bound must not refuse it.
        using var bitmap = new SKBitmap(large ? 3000 : 9, large ? 2000 : 9);
        bitmap.Erase(new SKColor(128, 128, 128));

        foreach (var quality in new[] { 10, 95 })
        {
            var image = Decoder.Decode(TestImages.Jpeg(bitmap, quality));

            Assert.True(image.Width > 0);
        }
    }
}
