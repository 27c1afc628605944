using System.Collections.Concurrent;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using SkiaSharp;

namespace FaceLogin.Tests.Support;

/// <summary>
/// A test double of <see cref="IFaceCollection"/> for tests about storage and wiring, not recognition: a decodable
/// image whose centre pixel is coloured holds one face whose identity is that colour; a grey image holds no face;
/// bytes that do not decode are refused as the real engines refuse them. Used by the S3-upload function tests until
/// the local engine is merged into this branch; see <see cref="Paint"/> for making such images.
/// </summary>
public sealed class ColorCodedFaceCollection : IFaceCollection
{
    private readonly ConcurrentDictionary<string, (FaceRecord Record, SKColor Colour)> _faces = new();

    public string CollectionId => "color-coded";

    public int Count => _faces.Count;

    /// <summary>A JPEG filled with one colour: the same colour is the same "person".</summary>
    public static byte[] Paint(SKColor colour, int width = 320, int height = 240)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }

    public Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new CollectionDescription(CollectionId, _faces.Count, "color-1", DateTimeOffset.UnixEpoch));

    public Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken) =>
        Task.FromResult<CollectionDescription?>(new CollectionDescription(CollectionId, _faces.Count, "color-1", DateTimeOffset.UnixEpoch));

    public Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var (colour, width, height) = Read(image);
        return Task.FromResult(new DetectFacesResult(colour is null ? [] : [Face(width, height)], width, height));
    }

    public Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken)
    {
        var (colour, width, height) = Read(image);
        if (colour is null)
        {
            return Task.FromResult(new IndexFacesResult(null, null, [], "color-1"));
        }

        var detail = Face(width, height);
        var record = new FaceRecord(Guid.NewGuid().ToString("D"), externalImageId, detail.Box, 99.9f, Guid.NewGuid().ToString("D"));
        _faces[record.FaceId] = (record, colour.Value);
        return Task.FromResult(new IndexFacesResult(record, detail, [], "color-1"));
    }

    public Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        var (colour, width, height) = Read(image);
        if (colour is null)
        {
            return Task.FromResult(new SearchByImageResult(null, []));
        }

        var matches = _faces.Values
            .Where(f => Close(f.Colour, colour.Value))
            .Select(f => new FaceMatch(f.Record, 99f))
            .Where(m => m.Similarity >= similarityThreshold)
            .Take(maxFaces)
            .ToList();
        return Task.FromResult(new SearchByImageResult(Face(width, height), matches));
    }

    public Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        IReadOnlyList<FaceMatch> matches = _faces.TryGetValue(faceId, out var face)
            ? [.. _faces.Values.Where(f => f.Record.FaceId != faceId && Close(f.Colour, face.Colour)).Select(f => new FaceMatch(f.Record, 99f)).Take(maxFaces)]
            : [];
        return Task.FromResult(matches);
    }

    public Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken) =>
        Task.FromResult(new FacePage([.. _faces.Values.Select(f => f.Record).OrderBy(r => r.FaceId, StringComparer.Ordinal)], null));

    public Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> deleted = [.. faceIds.Where(id => _faces.TryRemove(id, out _))];
        return Task.FromResult(deleted);
    }

    private static FaceDetail Face(int width, int height) => new(
        new BoundingBox(0.25f, 0.25f, 0.5f, 0.5f),
        99.9f,
        new FacePose(0, 0, 0),
        new FaceQuality(80, 80, Math.Min(width, height) / 2f),
        new FaceLandmarks5(new(0.4f, 0.4f), new(0.6f, 0.4f), new(0.5f, 0.5f), new(0.42f, 0.62f), new(0.58f, 0.62f)));

    private static (SKColor? Colour, int Width, int Height) Read(ReadOnlyMemory<byte> image)
    {
        if (image.IsEmpty)
        {
            throw new FaceImageRejectedException(ImageProblem.Empty, "The image is empty.");
        }

        using var data = SKData.CreateCopy(image.Span);
        using var codec = SKCodec.Create(data)
            ?? throw new FaceImageRejectedException(ImageProblem.UnsupportedFormat, "The image is not a JPEG or PNG.");
        using var bitmap = SKBitmap.Decode(codec)
            ?? throw new FaceImageRejectedException(ImageProblem.Corrupt, "The image cannot be decoded.");
        var centre = bitmap.GetPixel(bitmap.Width / 2, bitmap.Height / 2);
        var grey = Math.Abs(centre.Red - centre.Green) < 24 && Math.Abs(centre.Green - centre.Blue) < 24 && Math.Abs(centre.Red - centre.Blue) < 24;
        return (grey ? null : centre, bitmap.Width, bitmap.Height);
    }

    private static bool Close(SKColor a, SKColor b) =>
        Math.Abs(a.Red - b.Red) < 24 && Math.Abs(a.Green - b.Green) < 24 && Math.Abs(a.Blue - b.Blue) < 24;
}
