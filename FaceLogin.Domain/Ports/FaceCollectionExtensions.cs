namespace FaceLogin.Domain.Ports;

public static class FaceCollectionExtensions
{
    /// <summary>Page size for walking the whole collection (Rekognition's ListFaces allows up to 4096).</summary>
    private const int ScanPageSize = 1000;

    /// <summary>
    /// Every face indexed under <paramref name="externalImageId"/> (a person's id, "N" format), found by walking the whole
    /// collection: the way to find faces the directory never recorded (a registration that failed after the engine indexed
    /// but before its answer came back). A full scan, so only for deletion and undo, never per request.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindFaceIdsByExternalImageIdAsync(this IFaceCollection collection, string externalImageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var found = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await collection.ListFacesAsync(nextToken, ScanPageSize, cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Faces.Where(f => string.Equals(f.ExternalImageId, externalImageId, StringComparison.Ordinal)).Select(f => f.FaceId));
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        return found;
    }
}
