using System.Runtime.InteropServices;
using FaceLogin.Domain.Faces;
using SkiaSharp;

namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>
/// Decodes JPEG and PNG with SkiaSharp. Every check that can be made on the header is made before pixels are allocated,
/// and every failure becomes a <see cref="FaceImageRejectedException"/>: callers never see a codec's own exception.
/// </summary>
public sealed class SkiaImageDecoder(ImageDecoderOptions options) : IImageDecoder
{
    public RgbaImage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new FaceImageRejectedException(ImageProblem.Empty, "The image is empty.");
        }

        if (bytes.Length > options.MaxBytes)
        {
            throw new FaceImageRejectedException(
                ImageProblem.TooLarge,
                $"The image has {bytes.Length:N0} bytes; at most {options.MaxBytes:N0} are accepted.");
        }

        var format = ImageFormatSniffer.Sniff(bytes);
        if (format == SniffedFormat.Unknown)
        {
            throw new FaceImageRejectedException(ImageProblem.UnsupportedFormat, "The image is not a JPEG or PNG.");
        }

        try
        {
            using var data = SKData.CreateCopy(bytes);
            using var codec = SKCodec.Create(data)
                ?? throw Corrupt("its header cannot be read");
            return DecodeWithCodec(codec, format, bytes);
        }
        catch (FaceImageRejectedException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A codec that throws on hostile bytes must not surface as a server error: the image is simply unusable.
            throw Corrupt(ex.GetType().Name);
        }
    }

    private RgbaImage DecodeWithCodec(SKCodec codec, SniffedFormat format, ReadOnlySpan<byte> bytes)
    {
        var expected = format == SniffedFormat.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        if (codec.EncodedFormat != expected)
        {
            throw Corrupt($"the content says {format} but the codec found {codec.EncodedFormat}");
        }

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0)
        {
            throw Corrupt("it declares no pixels");
        }

        if ((long)width * height > options.MaxPixels)
        {
            throw new FaceImageRejectedException(
                ImageProblem.TooManyPixels,
                $"The image declares {width}×{height} pixels; at most {options.MaxPixels / 1_000_000.0:0.#} megapixels are accepted.");
        }

        if (format == SniffedFormat.Jpeg && !JpegScanDataBound.HoldsEnoughData(bytes))
        {
            throw Corrupt($"it holds too little data for the {width}×{height} pixels it declares");
        }

        var (targetWidth, targetHeight) = FitLongestSide(width, height, options.MaxSide);
        var decoded = targetWidth == width && targetHeight == height
            ? DecodeFull(codec, width, height)
            : DecodeScaled(codec, width, height, targetWidth, targetHeight);
        return ExifOrientationTransform.Apply(decoded, (ExifOrientation)(int)codec.EncodedOrigin);
    }

    internal static (int Width, int Height) FitLongestSide(int width, int height, int maxSide)
    {
        var longest = Math.Max(width, height);
        if (longest <= maxSide)
        {
            return (width, height);
        }

        var scale = (double)maxSide / longest;
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private static RgbaImage DecodeFull(SKCodec codec, int width, int height)
    {
        var pixels = new byte[checked(width * height * 4)];
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            ThrowUnlessComplete(codec.GetPixels(info, handle.AddrOfPinnedObject(), info.RowBytes, SKCodecOptions.Default));
        }
        finally
        {
            handle.Free();
        }

        return new RgbaImage(width, height, pixels);
    }

    /// <summary>
    /// Lets the codec shrink as far as it can without going below the target (JPEG decodes at n/8 for free),
    /// then box-filters the rest. A codec that cannot scale (PNG) is read row by row into the filter where it allows
    /// scanline decoding; SkiaSharp 4's PNG codec answers Unimplemented, so a large PNG is decoded whole (at most
    /// MaxPixels × 4 bytes) and then filtered.
    /// </summary>
    private static RgbaImage DecodeScaled(SKCodec codec, int width, int height, int targetWidth, int targetHeight)
    {
        var codecSize = codec.GetScaledDimensions((float)targetWidth / width);
        if (codecSize.Width >= targetWidth && codecSize.Height >= targetHeight
            && (codecSize.Width < width || codecSize.Height < height))
        {
            var scaled = DecodeFull(codec, codecSize.Width, codecSize.Height);
            if (codecSize.Width == targetWidth && codecSize.Height == targetHeight)
            {
                return scaled;
            }

            var downscaler = new AreaDownscaler(scaled.Width, scaled.Height, targetWidth, targetHeight);
            for (var y = 0; y < scaled.Height; y++)
            {
                downscaler.AddRow(scaled.Pixels.AsSpan(y * scaled.Stride, scaled.Stride));
            }

            return new RgbaImage(targetWidth, targetHeight, downscaler.Target);
        }

        return DecodeRowByRow(codec, width, height, targetWidth, targetHeight);
    }

    private static RgbaImage DecodeRowByRow(SKCodec codec, int width, int height, int targetWidth, int targetHeight)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var start = codec.StartScanlineDecode(info);
        if (start != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
        {
            // Interlaced or otherwise unusual: decode whole (still bounded by MaxPixels), then filter.
            var full = DecodeFull(codec, width, height);
            var filter = new AreaDownscaler(width, height, targetWidth, targetHeight);
            for (var y = 0; y < height; y++)
            {
                filter.AddRow(full.Pixels.AsSpan(y * full.Stride, full.Stride));
            }

            return new RgbaImage(targetWidth, targetHeight, filter.Target);
        }

        var downscaler = new AreaDownscaler(width, height, targetWidth, targetHeight);
        var row = new byte[info.RowBytes];
        var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            for (var y = 0; y < height; y++)
            {
                if (codec.GetScanlines(handle.AddrOfPinnedObject(), 1, row.Length) != 1)
                {
                    throw Corrupt("it ends before its last row");
                }

                downscaler.AddRow(row);
            }
        }
        finally
        {
            handle.Free();
        }

        return new RgbaImage(targetWidth, targetHeight, downscaler.Target);
    }

    private static void ThrowUnlessComplete(SKCodecResult result)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                // Skia fills the missing rows with grey: a half picture must not be enrolled as a face.
                throw Corrupt("it is truncated");
            default:
                throw Corrupt($"the codec reported {result}");
        }
    }

    private static FaceImageRejectedException Corrupt(string why) =>
        new(ImageProblem.Corrupt, $"The image cannot be decoded: {why}.");
}
