using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Reconciliation;

/// <summary>The <c>FaceLogin:Reconciliation</c> section.</summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "FaceLogin:Reconciliation";

    /// <summary>
    /// How long a photo that no face and no record belong to is left alone: the import and the S3-upload function store the
    /// photo before its registration starts, so a young one may be an upload on its way (S3 retries a failed function for
    /// up to six hours). Older, it is a leftover. A photo whose person id also has a face nobody recorded is taken at once:
    /// that is a registration that died after indexing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PendingImageGrace { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Whether the app repairs at start-up. Unset: yes with the SQLite directory (local mode: the scan reads local files),
    /// no with DynamoDB, where a scan of the bucket, the table and the collection at every start costs money and time; run
    /// <c>reconcile --repair</c> on a schedule there instead.
    /// </summary>
    public bool? AtStartup { get; set; }
}

public enum LeftoverKind
{
    /// <summary>A face in the collection indexed under a person id that the directory does not record it for.</summary>
    UnrecordedFace,

    /// <summary>A photo (or the metadata of one) that no face record points to.</summary>
    UnrecordedImage,

    /// <summary>A face record whose face is no longer in the collection (a deletion that died half-way).</summary>
    FaceMissingFromCollection,

    /// <summary>A person with no face left.</summary>
    PersonWithoutFace,
}

/// <param name="Item">The face id, the image key or the person id: ids only, never a name.</param>
/// <param name="Repaired">True once deleted; false in a dry run.</param>
public sealed record Leftover(LeftoverKind Kind, Guid PersonId, string Item, bool Repaired);

/// <param name="PendingImages">Photos left alone as possibly on their way to a registration (younger than the grace).</param>
/// <param name="BusyPeople">People whose lease another process held too long: looked at again by the next run.</param>
/// <param name="Warnings">What was found and deliberately not repaired, in words.</param>
public sealed record ReconciliationReport(
    bool Repair,
    IReadOnlyList<Leftover> Leftovers,
    IReadOnlyList<StoredImageKeyAge> PendingImages,
    IReadOnlyList<Guid> BusyPeople,
    IReadOnlyList<string> Warnings,
    int People,
    int RecordedFaces,
    int CollectionFaces,
    int Images)
{
    /// <summary>True when nothing is left that the run could not repair.</summary>
    public bool Clean => BusyPeople.Count == 0 && Warnings.Count == 0 && (!Repair || Leftovers.All(l => l.Repaired));
}

public sealed record StoredImageKeyAge(string ImageKey, TimeSpan Age);
