using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Ports;

/// <summary>
/// A searchable collection of indexed faces: the operations of Rekognition's face collection that FaceLogin uses.
/// Implemented by the local engine (default) and by the Rekognition adapter (AWS mode).
/// Similarity and thresholds are on Rekognition's 0..100 scale.
/// Images that cannot be used at all (not JPEG/PNG, corrupt, too large) raise <see cref="FaceImageRejectedException"/>.
/// </summary>
public interface IFaceCollection
{
    string CollectionId { get; }

    /// <summary>Creates the collection if it does not exist; returns what is there now.</summary>
    Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken);

    /// <summary>Null when the collection does not exist.</summary>
    Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken);

    /// <summary>Every face in the image, largest first, with quality and pose. Indexes nothing.</summary>
    Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken);

    /// <summary>
    /// Indexes at most one face (the largest) under <paramref name="externalImageId"/>
    /// (Rekognition allows only [a-zA-Z0-9_.\-:]+). Faces not indexed come back with their reasons:
    /// every other face with <see cref="UnindexedReason.ExceedsMaxFaces"/>, and the largest one itself when it fails the quality filter.
    /// </summary>
    Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="IndexFaceAsync"/>, but the largest face is indexed whatever its quality (Rekognition's QualityFilter NONE):
    /// for re-computing, with another model, a face that was accepted when it was registered. Faces other than the largest
    /// still come back as <see cref="UnindexedReason.ExceedsMaxFaces"/>.
    /// </summary>
    Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken);

    /// <summary>Searches with the largest face in the image. <see cref="SearchByImageResult.SearchedFace"/> is null when the image holds no face.</summary>
    Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken);

    /// <summary>Searches with a face already in the collection; the face itself is not among the matches.</summary>
    Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken);

    Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken);

    /// <summary>Deletes the faces that exist; returns the ids that were deleted.</summary>
    Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken);
}

public sealed record CollectionDescription(string CollectionId, long FaceCount, string FaceModelVersion, DateTimeOffset CreatedAt);

public sealed record DetectFacesResult(IReadOnlyList<FaceDetail> Faces, int ImageWidth, int ImageHeight);

/// <summary>A face stored in the collection.</summary>
public sealed record FaceRecord(string FaceId, string ExternalImageId, BoundingBox Box, float Confidence, string ImageId);

public sealed record UnindexedFace(FaceDetail Detail, IReadOnlyList<UnindexedReason> Reasons);

/// <summary><see cref="Indexed"/> is null when no face was indexed; then <see cref="Unindexed"/> says why.</summary>
public sealed record IndexFacesResult(FaceRecord? Indexed, FaceDetail? IndexedDetail, IReadOnlyList<UnindexedFace> Unindexed, string FaceModelVersion);

public sealed record FaceMatch(FaceRecord Face, float Similarity);

public sealed record SearchByImageResult(FaceDetail? SearchedFace, IReadOnlyList<FaceMatch> Matches);

public sealed record FacePage(IReadOnlyList<FaceRecord> Faces, string? NextToken);
