using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// The collection every use case talks to, in every mode: each call that reads an image (detect, index, search by image)
/// goes through the <see cref="FaceWorkQueue"/>; the others (list, delete, search by face id) go straight through, as they
/// touch no image.
/// </summary>
public sealed class QueuedFaceCollection(IFaceCollection inner, FaceWorkQueue queue) : IFaceCollection
{
    public string CollectionId => inner.CollectionId;

    public Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken) =>
        inner.EnsureCollectionAsync(cancellationToken);

    public Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken) =>
        inner.DescribeCollectionAsync(cancellationToken);

    public Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken) =>
        queue.RunOnFaceThreadAsync(() => inner.DetectFacesAsync(image, cancellationToken), cancellationToken);

    public Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        queue.RunOnFaceThreadAsync(() => inner.IndexFaceAsync(image, externalImageId, cancellationToken), cancellationToken);

    public Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        queue.RunOnFaceThreadAsync(() => inner.IndexFaceWithoutQualityFilterAsync(image, externalImageId, cancellationToken), cancellationToken);

    public Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken) =>
        queue.RunOnFaceThreadAsync(() => inner.SearchFacesByImageAsync(image, similarityThreshold, maxFaces, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken) =>
        inner.SearchFacesAsync(faceId, similarityThreshold, maxFaces, cancellationToken);

    public Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken) =>
        inner.ListFacesAsync(nextToken, maxResults, cancellationToken);

    public Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken) =>
        inner.DeleteFacesAsync(faceIds, cancellationToken);
}
