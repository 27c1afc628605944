namespace FaceLogin.Domain.Ports;

/// <summary>
/// Stores face images by opaque key. Keys come from <see cref="FaceImageKey"/>, never from user input.
/// </summary>
public interface IFaceImageStore
{
    /// <summary>Writes the image whole or not at all; replaces an image with the same key.</summary>
    Task PutAsync(FaceImageKey key, ReadOnlyMemory<byte> image, FaceImageMetadata metadata, CancellationToken cancellationToken);

    /// <summary>Null when there is no image under the key.</summary>
    Task<StoredFaceImage?> GetAsync(FaceImageKey key, CancellationToken cancellationToken);

    /// <summary>True when an image was deleted; deleting a missing key is not an error.</summary>
    Task<bool> DeleteAsync(FaceImageKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes everything stored under the person's id, including images no record points to (an upload or import whose
    /// registration failed or was stopped): deleting a person must remove all of their photos. Returns how many images went;
    /// deleting a person with nothing stored is not an error.
    /// </summary>
    Task<int> DeletePersonImagesAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>
    /// Every key the store holds something under (an image, or the metadata a crash left without its image), with when it was
    /// last written: what reconciliation compares with the directory and the collection. A walk of the whole store, so for
    /// reconciliation only, never per request. Objects whose names are not keys are not listed.
    /// </summary>
    IAsyncEnumerable<StoredImageEntry> ListAsync(CancellationToken cancellationToken);
}

/// <param name="WrittenAt">When the image (or its metadata) was last written, by the store's clock.</param>
public sealed record StoredImageEntry(FaceImageKey Key, DateTimeOffset WrittenAt);

/// <param name="FullName">The person's full name, as the seed design keeps it in the object's metadata.</param>
public sealed record FaceImageMetadata(string FullName, Guid PersonId, string ContentType);

public sealed record StoredFaceImage(byte[] Bytes, FaceImageMetadata Metadata);

/// <summary>
/// An image's key: <c>{personId:N}/{imageId:N}.jpg</c>. Built only from ids the application generates,
/// so no user input ever becomes a path or an object key. Stores add their own root or prefix.
/// </summary>
public readonly record struct FaceImageKey
{
    private FaceImageKey(Guid personId, Guid imageId)
    {
        PersonId = personId;
        ImageId = imageId;
    }

    public Guid PersonId { get; }
    public Guid ImageId { get; }
    public string Value => $"{PersonId:N}/{ImageId:N}.jpg";

    public static FaceImageKey For(Guid personId, Guid imageId)
    {
        if (personId == Guid.Empty || imageId == Guid.Empty)
        {
            throw new ArgumentException("A face image key needs non-empty ids.");
        }

        return new FaceImageKey(personId, imageId);
    }

    public static FaceImageKey New(Guid personId) => For(personId, Guid.NewGuid());

    /// <summary>Parses <c>{32 hex}/{32 hex}.jpg</c>, the only shape a key can have.</summary>
    public static bool TryParse(string? value, out FaceImageKey key)
    {
        key = default;
        if (value is null || value.Length != 32 + 1 + 32 + 4 || value[32] != '/' || !value.EndsWith(".jpg", StringComparison.Ordinal))
        {
            return false;
        }

        if (!Guid.TryParseExact(value.AsSpan(0, 32), "N", out var personId)
            || !Guid.TryParseExact(value.AsSpan(33, 32), "N", out var imageId)
            || personId == Guid.Empty || imageId == Guid.Empty)
        {
            return false;
        }

        key = new FaceImageKey(personId, imageId);
        return true;
    }

    public override string ToString() => Value;
}
