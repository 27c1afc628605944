using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Reindexing;

/// <summary>
/// The <see cref="IFaceCollection"/> the use cases talk to: the collection of the generation this process serves
/// (<see cref="ICollectionGenerations.GetServedGenerationAsync"/>), bound at the first call and fixed from then on, so
/// that the face records the directory shows and the faces the collection searches always belong to one generation.
/// Before any re-index that is the configured collection.
/// </summary>
public sealed class ServedFaceCollection(IFaceCollectionFactory factory, ICollectionGenerations? generations) : IFaceCollection
{
    private readonly SemaphoreSlim _bindGate = new(1, 1);
    private IFaceCollection? _bound;

    /// <summary>The served collection's id once bound; the configured one before (what it is unless a re-index switched).</summary>
    public string CollectionId => Volatile.Read(ref _bound)?.CollectionId ?? factory.BaseCollectionId;

    public async Task<IFaceCollection> BindAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _bound) is { } bound)
        {
            return bound;
        }

        await _bindGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bound is null)
            {
                var served = generations is null ? null : await generations.GetServedGenerationAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _bound, factory.Open(served?.CollectionId ?? factory.BaseCollectionId));
            }

            return _bound!;
        }
        finally
        {
            _bindGate.Release();
        }
    }

    public async Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).EnsureCollectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).DescribeCollectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);

    public async Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).IndexFaceAsync(image, externalImageId, cancellationToken).ConfigureAwait(false);

    public async Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).IndexFaceWithoutQualityFilterAsync(image, externalImageId, cancellationToken).ConfigureAwait(false);

    public async Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).SearchFacesByImageAsync(image, similarityThreshold, maxFaces, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).SearchFacesAsync(faceId, similarityThreshold, maxFaces, cancellationToken).ConfigureAwait(false);

    public async Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).ListFacesAsync(nextToken, maxResults, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken) =>
        await (await BindAsync(cancellationToken).ConfigureAwait(false)).DeleteFacesAsync(faceIds, cancellationToken).ConfigureAwait(false);
}
