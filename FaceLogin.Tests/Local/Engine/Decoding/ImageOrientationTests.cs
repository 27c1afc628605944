using FaceLogin.Domain.Local.Engine.Decoding;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Decoding;

/// <summary>The orientation rule the engine, the thumbnails and the Rekognition adapter share.</summary>
public sealed class ImageOrientationTests
{
    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, false)]
    [InlineData(SKEncodedOrigin.TopRight, false)]
    [InlineData(SKEncodedOrigin.BottomRight, false)]
    [InlineData(SKEncodedOrigin.BottomLeft, false)]
    [InlineData(SKEncodedOrigin.LeftTop, true)]
    [InlineData(SKEncodedOrigin.RightTop, true)]
    [InlineData(SKEncodedOrigin.RightBottom, true)]
    [InlineData(SKEncodedOrigin.LeftBottom, true)]
    public void Orientations_five_to_eight_swap_width_and_height(SKEncodedOrigin origin, bool swaps)
    {
        Assert.Equal(swaps, ImageOrientation.SwapsAxes(origin));
        Assert.Equal(swaps, ImageOrientation.SwapsAxes((ExifOrientation)(int)origin));
    }
}
