using SkiaSharp;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// Turns a photo into a webcam for Chromium (<c>--use-file-for-fake-video-capture</c>): a one-frame Y4M video, which Chromium loops.
/// The 250×250 LFW photo is scaled into a 640×480 frame the way a laptop camera sees someone at arm's length
/// (face about a third of the frame height), on a dull backdrop.
/// </summary>
internal static class FakeCamera
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>Writes the Y4M next to other test files and returns its path.</summary>
    public static string Write(string photoPath, string outputPath)
    {
        using var photo = SKImage.FromEncodedData(photoPath)
            ?? throw new InvalidOperationException($"Cannot decode {photoPath}.");
        using var frame = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(frame))
        {
            canvas.Clear(new SKColor(92, 98, 108));
            var side = Height;
            var dest = SKRect.Create((Width - side) / 2f, 0, side, side);
            canvas.DrawImage(photo, dest, new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        using var file = File.Create(outputPath);
        WriteY4m(file, frame);
        return outputPath;
    }

    /// <summary>
    /// Header, then one frame: <c>FRAME\n</c>, the Y plane, then U and V at half resolution (4:2:0), BT.601 studio range
    /// (what Chromium's Y4M reader assumes).
    /// </summary>
    private static void WriteY4m(Stream output, SKBitmap frame)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F15:1 Ip A1:1 C420jpeg\nFRAME\n");
        output.Write(header);

        var y = new byte[Width * Height];
        var u = new byte[Width / 2 * (Height / 2)];
        var v = new byte[u.Length];
        for (var row = 0; row < Height; row++)
        {
            for (var col = 0; col < Width; col++)
            {
                var c = frame.GetPixel(col, row);
                y[row * Width + col] = Clamp(16 + (65.481 * c.Red + 128.553 * c.Green + 24.966 * c.Blue) / 255);
            }
        }

        for (var row = 0; row < Height / 2; row++)
        {
            for (var col = 0; col < Width / 2; col++)
            {
                double r = 0, g = 0, b = 0;
                for (var dy = 0; dy < 2; dy++)
                {
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var c = frame.GetPixel(col * 2 + dx, row * 2 + dy);
                        r += c.Red;
                        g += c.Green;
                        b += c.Blue;
                    }
                }

                r /= 4 * 255.0;
                g /= 4 * 255.0;
                b /= 4 * 255.0;
                u[row * (Width / 2) + col] = Clamp(128 + (-37.797 * r - 74.203 * g + 112.0 * b));
                v[row * (Width / 2) + col] = Clamp(128 + (112.0 * r - 93.786 * g - 18.214 * b));
            }
        }

        output.Write(y);
        output.Write(u);
        output.Write(v);
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
