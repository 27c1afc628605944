using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Decoding;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceLogin.Domain.Aws.Rekognition;

/// <summary>
/// <see cref="IFaceCollection"/> on an Amazon Rekognition face collection. All Rekognition specifics stay in this class
/// and <see cref="RekognitionClient"/>: moving to the AWSSDK.Rekognition package, where it is available, replaces the
/// client calls here and nothing else.
/// </summary>
/// <param name="collectionId">Another collection than the configured one (a re-index's generation); null for the configured one.</param>
public sealed class RekognitionFaceCollection(RekognitionClient client, IOptions<AwsOptions> options, string? collectionId = null) : IFaceCollection
{
    /// <summary>Rekognition's limit for image bytes sent in the request.</summary>
    public const int MaxImageBytes = 5 * 1024 * 1024;

    /// <summary>DeleteFaces takes at most 4096 ids per call.</summary>
    private const int DeleteBatch = 4096;

    private static readonly List<string> DefaultAttributes = ["DEFAULT"];

    private readonly AwsOptions _options = options.Value;

    public string CollectionId { get; } = collectionId ?? options.Value.CollectionId;

    public async Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken)
    {
        if (await DescribeCollectionAsync(cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        try
        {
            await client.CreateCollectionAsync(new CreateCollectionRequest(CollectionId), cancellationToken).ConfigureAwait(false);
        }
        catch (RekognitionResourceAlreadyExistsException)
        {
            // Created concurrently (another instance starting, or provision running): fine.
        }

        return await DescribeCollectionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Rekognition collection '{CollectionId}' was created but cannot be described.");
    }

    public async Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.DescribeCollectionAsync(new DescribeCollectionRequest(CollectionId), cancellationToken).ConfigureAwait(false);
            return new CollectionDescription(
                CollectionId,
                response.FaceCount,
                response.FaceModelVersion ?? string.Empty,
                DateTimeOffset.FromUnixTimeMilliseconds((long)(response.CreationTimestamp * 1000)));
        }
        catch (RekognitionResourceNotFoundException)
        {
            return null;
        }
    }

    public async Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var size = InspectImage(image);
        var response = await Call(() => client.DetectFacesAsync(new DetectFacesRequest(new RekognitionImage(image.ToArray()), DefaultAttributes), cancellationToken), size).ConfigureAwait(false);
        var faces = (response.FaceDetails ?? [])
            .Select(f => ToFaceDetail(f, size))
            .OrderByDescending(f => f.Box.Width * f.Box.Height)
            .ToList();
        return new DetectFacesResult(faces, size.Width, size.Height);
    }

    public Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, _options.QualityFilter, cancellationToken);

    public Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, "NONE", cancellationToken);

    private async Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, string qualityFilter, CancellationToken cancellationToken)
    {
        var size = InspectImage(image);
        var response = await Call(() => client.IndexFacesAsync(new IndexFacesRequest
        {
            CollectionId = CollectionId,
            Image = new RekognitionImage(image.ToArray()),
            ExternalImageId = externalImageId,
            DetectionAttributes = DefaultAttributes,
            MaxFaces = 1,
            QualityFilter = qualityFilter,
        }, cancellationToken), size).ConfigureAwait(false);

        var indexed = response.FaceRecords?.FirstOrDefault();
        var unindexed = (response.UnindexedFaces ?? [])
            .Select(u => new UnindexedFace(
                u.FaceDetail is null ? EmptyDetail : ToFaceDetail(u.FaceDetail, size),
                [.. (u.Reasons ?? []).Select(r => UnindexedReasonNames.TryParseRekognitionName(r, out var reason) ? (UnindexedReason?)reason : null)
                    .OfType<UnindexedReason>()]))
            .ToList();
        return new IndexFacesResult(
            indexed is null ? null : ToFaceRecord(indexed.Face),
            indexed?.FaceDetail is null ? null : ToFaceDetail(indexed.FaceDetail, size),
            unindexed,
            response.FaceModelVersion ?? string.Empty);
    }

    public async Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        var size = InspectImage(image);
        SearchFacesByImageResponse response;
        try
        {
            response = await Call(() => client.SearchFacesByImageAsync(new SearchFacesByImageRequest
            {
                CollectionId = CollectionId,
                Image = new RekognitionImage(image.ToArray()),
                MaxFaces = maxFaces,
                FaceMatchThreshold = similarityThreshold,
                QualityFilter = _options.QualityFilter,
            }, cancellationToken), size).ConfigureAwait(false);
        }
        catch (RekognitionInvalidParameterException ex) when (ex.ServiceMessage.Contains("no face", StringComparison.OrdinalIgnoreCase))
        {
            // "There are no faces in the image. Should be at least 1." — also when the only face fails the quality filter.
            return new SearchByImageResult(null, []);
        }

        if (response.SearchedFaceBoundingBox is null)
        {
            return new SearchByImageResult(null, []);
        }

        // Rekognition reports only the box and confidence of the searched face. It has already applied QualityFilter
        // to it, so pose and quality are reported as passing values rather than made up.
        var box = ToBox(response.SearchedFaceBoundingBox);
        var searched = new FaceDetail(
            box,
            response.SearchedFaceConfidence ?? 0,
            new FacePose(0, 0, 0),
            new FaceQuality(100, 100, FaceSizePx(box, size)),
            default);
        var matches = (response.FaceMatches ?? [])
            .Select(m => new FaceMatch(ToFaceRecord(m.Face), m.Similarity))
            .OrderByDescending(m => m.Similarity)
            .ToList();
        return new SearchByImageResult(searched, matches);
    }

    public async Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        var response = await client.SearchFacesAsync(new SearchFacesRequest(CollectionId, faceId, maxFaces, similarityThreshold), cancellationToken).ConfigureAwait(false);
        return [.. (response.FaceMatches ?? [])
            .Where(m => m.Face.FaceId != faceId)
            .Select(m => new FaceMatch(ToFaceRecord(m.Face), m.Similarity))
            .OrderByDescending(m => m.Similarity)];
    }

    public async Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken)
    {
        var response = await client.ListFacesAsync(new ListFacesRequest
        {
            CollectionId = CollectionId,
            NextToken = nextToken,
            MaxResults = Math.Clamp(maxResults, 1, 4096),
        }, cancellationToken).ConfigureAwait(false);
        return new FacePage([.. (response.Faces ?? []).Select(ToFaceRecord)], string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    /// <summary>DeleteFaces' reason for a face id that is not in the collection.</summary>
    private const string FaceNotFound = "FACE_NOT_FOUND";

    public async Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        foreach (var chunk in faceIds.Distinct(StringComparer.Ordinal).Chunk(DeleteBatch))
        {
            var response = await client.DeleteFacesAsync(new DeleteFacesRequest(CollectionId, [.. chunk]), cancellationToken).ConfigureAwait(false);
            deleted.AddRange(response.DeletedFaces ?? []);
            // A face that is gone already is what a repeated deletion finds; any other reason means it is still there and
            // could still match, so the deletion must fail (the person stays listed and deleting again retries it).
            var kept = (response.UnsuccessfulFaceDeletions ?? [])
                .Where(u => u.Reasons is not { Count: > 0 } reasons || reasons.Any(r => r != FaceNotFound))
                .ToList();
            if (kept.Count > 0)
            {
                throw new RekognitionException(
                    "UnsuccessfulFaceDeletions",
                    $"DeleteFaces kept {kept.Count} face(s): {string.Join(", ", kept.SelectMany(u => u.Reasons ?? []).Distinct())}.",
                    System.Net.HttpStatusCode.OK);
            }
        }

        return deleted;
    }

    private static readonly FaceDetail EmptyDetail = new(default, 0, default, default, default);

    /// <summary>Turns Rekognition's refusals of the image itself into the domain's exception.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, ImageSize size)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RekognitionInvalidImageFormatException ex)
        {
            // The header said JPEG/PNG (checked before sending), so the pixels are what Rekognition could not read.
            throw new FaceImageRejectedException(size.KnownFormat ? ImageProblem.Corrupt : ImageProblem.UnsupportedFormat, ex.ServiceMessage);
        }
        catch (RekognitionImageTooLargeException ex)
        {
            throw new FaceImageRejectedException(ImageProblem.TooLarge, ex.ServiceMessage);
        }
    }

    /// <summary>
    /// Refuses what Rekognition would refuse without a round trip, and learns the image's size (Rekognition reports
    /// boxes as ratios; the domain's FaceSizePx is in pixels). Only the header is decoded.
    /// </summary>
    internal static ImageSize InspectImage(ReadOnlyMemory<byte> image)
    {
        if (image.IsEmpty)
        {
            throw new FaceImageRejectedException(ImageProblem.Empty, "The image is empty.");
        }

        if (image.Length > MaxImageBytes)
        {
            throw new FaceImageRejectedException(ImageProblem.TooLarge, $"The image is larger than {MaxImageBytes / (1024 * 1024)} MB.");
        }

        using var data = SKData.CreateCopy(image.Span);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png))
        {
            throw new FaceImageRejectedException(ImageProblem.UnsupportedFormat, "The image is not a JPEG or PNG.");
        }

        // Rekognition's ratios refer to the upright image; the engine, the thumbnails and this adapter share one rule.
        return ImageOrientation.SwapsAxes(codec.EncodedOrigin)
            ? new ImageSize(codec.Info.Height, codec.Info.Width, true)
            : new ImageSize(codec.Info.Width, codec.Info.Height, true);
    }

    private static FaceRecord ToFaceRecord(RekognitionFace face) => new(
        face.FaceId,
        face.ExternalImageId ?? string.Empty,
        face.BoundingBox is null ? default : ToBox(face.BoundingBox),
        face.Confidence,
        face.ImageId ?? string.Empty);

    private static FaceDetail ToFaceDetail(RekognitionFaceDetail detail, ImageSize size)
    {
        var box = detail.BoundingBox is null ? default : ToBox(detail.BoundingBox);
        var landmarks = (detail.Landmarks ?? []).ToDictionary(l => l.Type, l => new FacePoint(l.X, l.Y), StringComparer.Ordinal);
        FacePoint Point(string type) => landmarks.GetValueOrDefault(type);
        return new FaceDetail(
            box,
            detail.Confidence,
            detail.Pose is { } pose ? new FacePose(pose.Yaw, pose.Pitch, pose.Roll) : default,
            new FaceQuality(detail.Quality?.Brightness ?? 0, detail.Quality?.Sharpness ?? 0, FaceSizePx(box, size)),
            new FaceLandmarks5(Point("eyeLeft"), Point("eyeRight"), Point("nose"), Point("mouthLeft"), Point("mouthRight")));
    }

    private static BoundingBox ToBox(RekognitionBoundingBox box) => new(box.Left, box.Top, box.Width, box.Height);

    private static float FaceSizePx(BoundingBox box, ImageSize size) => Math.Min(box.Width * size.Width, box.Height * size.Height);

    internal readonly record struct ImageSize(int Width, int Height, bool KnownFormat);
}
