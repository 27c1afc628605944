using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using SkiaSharp;

namespace FaceLogin.Tests.Support;

/// <summary>
/// TEST DOUBLE of <see cref="IFaceCollection"/>: deterministic, no face engine. It reads the faces an image "contains" from
/// the description <see cref="FakeFaceImages"/> appends to it, and otherwise behaves as the port promises: the image is
/// really decoded (so not-an-image and corrupt bytes are refused as an engine would), faces come largest first, IndexFace
/// indexes the largest one and applies a quality filter, search ranks stored faces by a scripted similarity
/// (same identity 99, <see cref="FakeFace.LooksLike"/> as scripted, anyone else 5).
/// It lets the services' logic and every undo path be tested exactly; the real engine is tested on its own and end to end.
/// </summary>
/// <param name="collectionId">The id it answers to (a generation's, say); it changes nothing else.</param>
public sealed class FakeFaceCollection(string collectionId = "fake-collection") : IFaceCollection
{
    public const float SameIdentitySimilarity = 99;
    public const float UnrelatedSimilarity = 5;

    /// <summary>The double's "engine" quality filter, applied when indexing (brightness and sharpness, like Rekognition's).</summary>
    public const float MinBrightness = 25;
    public const float MinSharpness = 25;

    private readonly Lock gate = new();
    private readonly List<(FaceRecord Record, FakeFace Face)> stored = [];
    private readonly DateTimeOffset createdAt = DateTimeOffset.UnixEpoch;

    public string CollectionId => collectionId;

    public int SearchCount { get; private set; }

    public int DetectCount { get; private set; }

    public Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken) => Task.FromResult(Describe());

    public Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken) => Task.FromResult<CollectionDescription?>(Describe());

    public Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            DetectCount++;
        }

        var (width, height) = Decode(image);
        var faces = Faces(image.Span, indexing: false).Select(f => Detail(f, width, height)).ToArray();
        return Task.FromResult(new DetectFacesResult(faces, width, height));
    }

    public Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, qualityFilter: true, cancellationToken);

    public Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, qualityFilter: false, cancellationToken);

    private Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, bool qualityFilter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (width, height) = Decode(image);
        var faces = Faces(image.Span, indexing: true);
        var unindexed = faces.Skip(1).Select(f => new UnindexedFace(Detail(f, width, height), [UnindexedReason.ExceedsMaxFaces])).ToList();
        if (faces.Count == 0)
        {
            return Task.FromResult(new IndexFacesResult(null, null, unindexed, "fake-1"));
        }

        var largest = faces[0];
        var reasons = qualityFilter ? QualityFilter(largest) : [];
        if (reasons.Count > 0)
        {
            unindexed.Insert(0, new UnindexedFace(Detail(largest, width, height), reasons));
            return Task.FromResult(new IndexFacesResult(null, null, unindexed, "fake-1"));
        }

        var record = new FaceRecord(Guid.NewGuid().ToString("D"), externalImageId, largest.Box, largest.Confidence, Guid.NewGuid().ToString("D"));
        lock (gate)
        {
            stored.Add((record, largest));
        }

        return Task.FromResult(new IndexFacesResult(record, Detail(largest, width, height), unindexed, "fake-1"));
    }

    public Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (width, height) = Decode(image);
        var faces = Faces(image.Span, indexing: false);
        lock (gate)
        {
            SearchCount++;
            if (faces.Count == 0)
            {
                return Task.FromResult(new SearchByImageResult(null, []));
            }

            var probe = faces[0];
            var matches = stored
                .Select(s => new FaceMatch(s.Record, Similarity(probe, s.Face)))
                .Where(m => m.Similarity >= similarityThreshold)
                .OrderByDescending(m => m.Similarity)
                .Take(maxFaces)
                .ToArray();
            return Task.FromResult(new SearchByImageResult(Detail(probe, width, height), matches));
        }
    }

    public Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var probe = stored.Single(s => s.Record.FaceId == faceId).Face;
            IReadOnlyList<FaceMatch> matches = stored
                .Where(s => s.Record.FaceId != faceId)
                .Select(s => new FaceMatch(s.Record, Similarity(probe, s.Face)))
                .Where(m => m.Similarity >= similarityThreshold)
                .OrderByDescending(m => m.Similarity)
                .Take(maxFaces)
                .ToArray();
            return Task.FromResult(matches);
        }
    }

    public Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var start = nextToken is null ? 0 : int.Parse(nextToken, System.Globalization.CultureInfo.InvariantCulture);
            var page = stored.Skip(start).Take(maxResults).Select(s => s.Record).ToArray();
            var next = start + page.Length < stored.Count ? (start + page.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new FacePage(page, next));
        }
    }

    public Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<string> deleted = stored.Where(s => faceIds.Contains(s.Record.FaceId)).Select(s => s.Record.FaceId).ToArray();
            stored.RemoveAll(s => faceIds.Contains(s.Record.FaceId));
            return Task.FromResult(deleted);
        }
    }

    /// <summary>Every face id in the collection, sorted.</summary>
    public string[] FaceIds()
    {
        lock (gate)
        {
            return stored.Select(s => s.Record.FaceId).Order(StringComparer.Ordinal).ToArray();
        }
    }

    private CollectionDescription Describe()
    {
        lock (gate)
        {
            return new CollectionDescription(CollectionId, stored.Count, "fake-1", createdAt);
        }
    }

    private static (int Width, int Height) Decode(ReadOnlyMemory<byte> image)
    {
        if (image.IsEmpty)
        {
            throw new FaceImageRejectedException(ImageProblem.Empty, "The image is empty.");
        }

        var span = image.Span;
        var isJpeg = span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
        var isPng = span.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]);
        if (!isJpeg && !isPng)
        {
            throw new FaceImageRejectedException(ImageProblem.UnsupportedFormat, "Not a JPEG or PNG.");
        }

        using var data = SKData.CreateCopy(span);
        using var codec = SKCodec.Create(data);
        using var bitmap = codec is null ? null : SKBitmap.Decode(codec);
        if (bitmap is null)
        {
            throw new FaceImageRejectedException(ImageProblem.Corrupt, "The image cannot be decoded.");
        }

        return (bitmap.Width, bitmap.Height);
    }

    private static List<FakeFace> Faces(ReadOnlySpan<byte> image, bool indexing) =>
        FakeFaceImages.ReadFaces(image)
            .Where(f => indexing || !f.OnlySeenWhenIndexing)
            .OrderByDescending(f => f.Box.Width * f.Box.Height)
            .ToList();

    private static FaceDetail Detail(FakeFace face, int width, int height)
    {
        var pixels = face.Box.ToPixels(width, height);
        var centre = new FacePoint(face.Box.Left + face.Box.Width / 2, face.Box.Top + face.Box.Height / 2);
        return new FaceDetail(
            face.Box,
            face.Confidence,
            new FacePose(face.Yaw, face.Pitch, face.Roll),
            new FaceQuality(face.Brightness, face.Sharpness, Math.Min(pixels.Width, pixels.Height)),
            new FaceLandmarks5(centre, centre, centre, centre, centre));
    }

    private static List<UnindexedReason> QualityFilter(FakeFace face)
    {
        var reasons = new List<UnindexedReason>();
        if (face.Brightness < MinBrightness)
        {
            reasons.Add(UnindexedReason.LowBrightness);
        }

        if (face.Sharpness < MinSharpness)
        {
            reasons.Add(UnindexedReason.LowSharpness);
        }

        return reasons;
    }

    private static float Similarity(FakeFace probe, FakeFace stored) =>
        probe.Identity == stored.Identity ? SameIdentitySimilarity
        : probe.LooksLike == stored.Identity ? probe.LooksLikeSimilarity
        : UnrelatedSimilarity;
}
