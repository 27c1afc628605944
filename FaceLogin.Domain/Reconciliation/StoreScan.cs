using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Reconciliation;

/// <summary>
/// One pass over the three stores: every face in the collection and every photo by person id, and the directory's people,
/// of whom only those with something out of place are kept as suspects. It decides nothing: each suspect is judged again under
/// their lease (<see cref="ReconciliationService"/>).
/// </summary>
internal sealed record StoreScan(
    DateTimeOffset ListingStartedAt,
    HashSet<string> CollectionFaceIds,
    Dictionary<Guid, List<string>> CollectionFacesByPerson,
    Dictionary<Guid, List<StoredImageEntry>> ImagesByPerson,
    HashSet<Guid> Suspects,
    int People,
    int RecordedFaces,
    int MissingFromCollection)
{
    /// <summary>Page size for walking the collection (Rekognition's ListFaces allows up to 4096).</summary>
    private const int ScanPageSize = 1000;

    public int CollectionFaceCount => CollectionFaceIds.Count;

    public int ImageCount => ImagesByPerson.Values.Sum(i => i.Count);

    public List<string> CollectionFacesOf(Guid personId) => CollectionFacesByPerson.GetValueOrDefault(personId) ?? [];

    public List<StoredImageEntry> ImagesOf(Guid personId) => ImagesByPerson.GetValueOrDefault(personId) ?? [];

    /// <summary>
    /// The collection first, then the photos, then the directory: the scan only finds the people to look at; each is judged
    /// again under their lease.
    /// </summary>
    public static async Task<StoreScan> ReadAsync(
        IFaceCollection faces, IFaceImageStore images, IFaceDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var listingStartedAt = time.GetUtcNow();
        var faceIds = new HashSet<string>(StringComparer.Ordinal);
        var facesByPerson = new Dictionary<Guid, List<string>>();
        string? nextToken = null;
        do
        {
            var page = await faces.ListFacesAsync(nextToken, ScanPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var face in page.Faces)
            {
                faceIds.Add(face.FaceId);
                // Registration indexes under the person's id ("N"); a face indexed under anything else is not this app's to judge.
                if (Guid.TryParseExact(face.ExternalImageId, "N", out var personId))
                {
                    AddTo(facesByPerson, personId, face.FaceId);
                }
            }

            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        var imagesByPerson = new Dictionary<Guid, List<StoredImageEntry>>();
        await foreach (var image in images.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            AddTo(imagesByPerson, image.Key.PersonId, image);
        }

        var suspects = new HashSet<Guid>(facesByPerson.Keys.Concat(imagesByPerson.Keys));
        var known = new HashSet<Guid>();
        int people = 0, recordedFaces = 0, missing = 0;
        for (var page = 0; ; page++)
        {
            var result = await directory.ListPeopleAsync(new PeopleQuery(page, PageRequest.MaxPageSize, Search: null), cancellationToken).ConfigureAwait(false);
            foreach (var summary in result.Items)
            {
                var personId = summary.Person.Id;
                people++;
                known.Add(personId);
                var recorded = await directory.GetFacesAsync(personId, cancellationToken).ConfigureAwait(false);
                recordedFaces += recorded.Count;
                var recordedIds = recorded.Select(f => f.FaceId).ToHashSet(StringComparer.Ordinal);
                var recordedKeys = recorded.Select(f => f.ImageKey).ToHashSet();
                var missingHere = recorded.Count(f => IsMissingFromCollection(f, faceIds, listingStartedAt));
                missing += missingHere;
                var consistent = recorded.Count > 0 && missingHere == 0
                    && (facesByPerson.GetValueOrDefault(personId) ?? []).All(recordedIds.Contains)
                    && (imagesByPerson.GetValueOrDefault(personId) ?? []).All(i => recordedKeys.Contains(i.Key));
                if (consistent)
                {
                    suspects.Remove(personId);
                }
                else
                {
                    suspects.Add(personId);
                }
            }

            if (result.Items.Count < PageRequest.MaxPageSize)
            {
                break;
            }
        }

        return new StoreScan(listingStartedAt, faceIds, facesByPerson, imagesByPerson, suspects, people, recordedFaces, missing);
    }

    /// <summary>
    /// A suspect only: a face indexed after the listing began may be missing from it (its time is the registering process's
    /// clock). Every suspect is checked against a fresh listing under the person's lease (<see cref="ReconciliationService"/>).
    /// </summary>
    public bool IsMissingFromCollection(RegisteredFace face) => IsMissingFromCollection(face, CollectionFaceIds, ListingStartedAt);

    private static bool IsMissingFromCollection(RegisteredFace face, HashSet<string> listed, DateTimeOffset listingStartedAt) =>
        face.IndexedAt < listingStartedAt && !listed.Contains(face.FaceId);

    private static void AddTo<T>(Dictionary<Guid, List<T>> map, Guid personId, T item)
    {
        if (!map.TryGetValue(personId, out var list))
        {
            map[personId] = list = [];
        }

        list.Add(item);
    }
}
