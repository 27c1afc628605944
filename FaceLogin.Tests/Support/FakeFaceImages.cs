using System.Text;
using System.Text.Json;
using FaceLogin.Domain.Faces;
using SkiaSharp;

namespace FaceLogin.Tests.Support;

/// <summary>
/// A face as <see cref="FakeFaceCollection"/> (a test double) will "see" it. <see cref="Identity"/> stands for the person:
/// two faces with the same identity match; <see cref="LooksLike"/> scripts a partial match with another identity.
/// </summary>
public sealed record FakeFace(string Identity, BoundingBox Box)
{
    public float Brightness { get; init; } = 70;
    public float Sharpness { get; init; } = 70;
    public float Confidence { get; init; } = 99;
    public float Yaw { get; init; }
    public float Pitch { get; init; }
    public float Roll { get; init; }

    /// <summary>Another identity this face resembles, with <see cref="LooksLikeSimilarity"/>.</summary>
    public string? LooksLike { get; init; }
    public float LooksLikeSimilarity { get; init; }

    /// <summary>Missed by detection but found when indexing: engines can disagree near their thresholds.</summary>
    public bool OnlySeenWhenIndexing { get; init; }
}

/// <summary>
/// Real JPEG images (decodable, with a coloured square where each face is) that carry, after the JPEG's end marker where
/// decoders ignore it, a description of their faces for <see cref="FakeFaceCollection"/>.
/// </summary>
public static class FakeFaceImages
{
    public const int Width = 400;
    public const int Height = 400;

    public static readonly BoundingBox CentreBox = new(0.3f, 0.25f, 0.4f, 0.5f);

    private static readonly byte[] Marker = "\nFAKEFACES"u8.ToArray();

    public static byte[] Of(string identity) => With(new FakeFace(identity, CentreBox));

    public static byte[] With(params FakeFace[] faces)
    {
        using var bitmap = new SKBitmap(Width, Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(128, 128, 128));
            using var paint = new SKPaint { Color = new SKColor(200, 60, 40) };
            foreach (var face in faces)
            {
                var rect = face.Box.ToPixels(Width, Height);
                canvas.DrawRect(rect.X, rect.Y, rect.Width, rect.Height, paint);
            }
        }

        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return Describe(jpeg.ToArray(), faces);
    }

    /// <summary>Any image, with the faces the test double is to see in it.</summary>
    public static byte[] Describe(byte[] image, params FakeFace[] faces) => [.. image, .. Marker, .. JsonSerializer.SerializeToUtf8Bytes(faces)];

    public static byte[] WithoutFace() => With();

    public static byte[] NotAnImage() => Encoding.UTF8.GetBytes("this is a text file, not a photo");

    /// <summary>A JPEG signature followed by bytes no decoder can read.</summary>
    public static byte[] Corrupt() => [0xFF, 0xD8, 0xFF, 0xE0, .. Enumerable.Repeat((byte)0x5A, 200)];

    internal static IReadOnlyList<FakeFace> ReadFaces(ReadOnlySpan<byte> image)
    {
        var at = image.LastIndexOf(Marker);
        return at < 0 ? [] : JsonSerializer.Deserialize<FakeFace[]>(image[(at + Marker.Length)..]) ?? [];
    }
}
