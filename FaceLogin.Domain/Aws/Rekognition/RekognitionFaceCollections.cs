using System.Collections.Concurrent;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Rekognition;

/// <summary>Rekognition collections by id (<see cref="IFaceCollectionFactory"/>). Rekognition gives a new collection its latest face model.</summary>
public sealed class RekognitionFaceCollections(RekognitionClient client, IOptions<AwsOptions> options) : IFaceCollectionFactory
{
    private readonly ConcurrentDictionary<string, RekognitionFaceCollection> _open = new(StringComparer.Ordinal);

    public string BaseCollectionId => options.Value.CollectionId;

    /// <summary>Only Rekognition knows which model a new collection gets (it is the newest it has).</summary>
    public string? ConfiguredModelVersion => null;

    public IFaceCollection Open(string collectionId) => OpenRekognition(collectionId);

    public RekognitionFaceCollection OpenRekognition(string collectionId) =>
        _open.GetOrAdd(collectionId, id => new RekognitionFaceCollection(client, options, id));

    public Task<CollectionDescription?> DescribeAsync(string collectionId, CancellationToken cancellationToken) =>
        OpenRekognition(collectionId).DescribeCollectionAsync(cancellationToken);

    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteCollectionAsync(new DeleteCollectionRequest(collectionId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RekognitionResourceNotFoundException)
        {
            return false;
        }
    }

    public async Task<int> DeleteFacesByExternalImageIdAsync(string collectionId, string externalImageId, CancellationToken cancellationToken)
    {
        var collection = OpenRekognition(collectionId);
        try
        {
            var ids = await collection.FindFaceIdsByExternalImageIdAsync(externalImageId, cancellationToken).ConfigureAwait(false);
            return ids.Count == 0 ? 0 : (await collection.DeleteFacesAsync(ids, cancellationToken).ConfigureAwait(false)).Count;
        }
        catch (RekognitionResourceNotFoundException)
        {
            return 0;
        }
    }
}
