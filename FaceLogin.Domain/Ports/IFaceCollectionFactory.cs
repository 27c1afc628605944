namespace FaceLogin.Domain.Ports;

/// <summary>
/// Face collections by id, for what works across collections: serving the active generation's collection, building the
/// next one during a re-index, and deleting collections or people's faces in collections kept after a switch. Implemented
/// by the local engine (collections in one SQLite file) and by the Rekognition adapter.
/// </summary>
public interface IFaceCollectionFactory
{
    /// <summary>The configured collection id: generation 0's collection, and the stem of the later ones' ids.</summary>
    string BaseCollectionId { get; }

    /// <summary>
    /// The model version a collection made now gets, when the adapter knows it without making one (the local engine's
    /// configured model); null when only the service knows (Rekognition gives new collections its latest model).
    /// </summary>
    string? ConfiguredModelVersion { get; }

    /// <summary>A collection that indexes and searches with the configured model. Opening does not create it.</summary>
    IFaceCollection Open(string collectionId);

    /// <summary>What is stored under the id, whatever model made it; null when there is no such collection.</summary>
    Task<CollectionDescription?> DescribeAsync(string collectionId, CancellationToken cancellationToken);

    /// <summary>Deletes a collection and every face in it, whatever model made them. False when there was none.</summary>
    Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken);

    /// <summary>Deletes the faces indexed under <paramref name="externalImageId"/> in a collection of any model; how many went.</summary>
    Task<int> DeleteFacesByExternalImageIdAsync(string collectionId, string externalImageId, CancellationToken cancellationToken);
}
