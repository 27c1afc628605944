using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Reconciliation;

/// <summary>
/// Brings the photo store, the face collection and the directory back into agreement after a crash: deletes photos and faces
/// that belong to no person, face records whose face has left the collection, and people without a face. Run by the app at
/// start-up (local mode) and by the <c>reconcile</c> verb (dry run unless asked to repair). The argument for each rule is in
/// docs/domain.md, "Crash consistency".
/// </summary>
/// <remarks>
/// <para>
/// One scan of the three stores finds the people with something to repair; each is then judged again, and repaired, while
/// holding their lease (<see cref="IFaceDirectory.HoldPersonLeaseAsync"/>). Every registration writes under its person's
/// lease, from indexing to the directory write or its undo, and so does a deletion: holding it, no other process is between
/// two writes of that person, so what the directory does not record now is not about to be recorded — unless it is a photo
/// that the import or the S3-upload function stored before its registration took the lease. Those photos alone are waited
/// for (<see cref="ReconciliationOptions.PendingImageGrace"/>).
/// </para>
/// <para>
/// Biometric data goes before the record that finds it, as in a deletion (faces, then photos, then face records, then the
/// person), so a reconciliation that dies half-way leaves what the next one finds again.
/// </para>
/// </remarks>
public sealed class ReconciliationService(
    IFaceCollection faces,
    IFaceImageStore images,
    IFaceDirectory directory,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ReconciliationService> logger)
{
    /// <summary>
    /// More recorded faces than this missing, and more than half of them: the collection was lost or replaced, not a deletion
    /// cut short. Deleting the people would destroy every registration; <c>reindex</c> re-computes the faces from the photos.
    /// </summary>
    private const int CollectionLossFloor = 10;

    private readonly ReconciliationOptions _options = options.Value;

    /// <summary>Scans, and with <paramref name="repair"/> deletes what it found; without it, only reports.</summary>
    public async Task<ReconciliationReport> RunAsync(bool repair, CancellationToken cancellationToken)
    {
        // Every repair of the stores runs from here, at start-up and in the reconcile verb alike.
        var scan = await StoreScan.ReadAsync(faces, images, directory, time, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        var missingAllowed = !LooksLikeLostCollection(scan);
        if (!missingAllowed)
        {
            warnings.Add($"{scan.MissingFromCollection} of {scan.RecordedFaces} recorded faces are not in collection {faces.CollectionId}: it looks lost or "
                + "replaced, so their people are kept; run 'reindex' to re-compute the faces from the photos");
        }

        var leftovers = new List<Leftover>();
        var pending = new List<StoredImageKeyAge>();
        var busy = new List<Guid>();
        foreach (var personId in scan.Suspects.Order())
        {
            try
            {
                await using var lease = await directory.HoldPersonLeaseAsync(personId, cancellationToken).ConfigureAwait(false);
                var judged = await JudgeAsync(personId, scan, missingAllowed, cancellationToken).ConfigureAwait(false);
                pending.AddRange(judged.Pending);
                leftovers.AddRange(repair ? await RepairAsync(judged, cancellationToken).ConfigureAwait(false) : judged.Leftovers);
            }
            catch (TimeoutException)
            {
                busy.Add(personId);
            }
        }

        var report = new ReconciliationReport(repair, leftovers, pending, busy, warnings, scan.People, scan.RecordedFaces, scan.CollectionFaceCount, scan.ImageCount);
        Log(report);
        return report;
    }

    private static bool LooksLikeLostCollection(StoreScan scan) =>
        scan.MissingFromCollection > CollectionLossFloor && scan.MissingFromCollection * 2 > scan.RecordedFaces;

    private sealed record Judgement(Guid PersonId, bool PersonExists, IReadOnlyList<Leftover> Leftovers, IReadOnlyList<RegisteredFace> MissingRecords, IReadOnlyList<StoredImageKeyAge> Pending);

    /// <summary>
    /// The person's state read again under their lease, against the scan's faces and photos. Whatever the directory does not
    /// record now, no registration in progress will record: the lease says none is between its writes.
    /// </summary>
    private async Task<Judgement> JudgeAsync(Guid personId, StoreScan scan, bool missingAllowed, CancellationToken cancellationToken)
    {
        var person = await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false);
        var recorded = person is null ? [] : await directory.GetFacesAsync(personId, cancellationToken).ConfigureAwait(false);
        var recordedIds = recorded.Select(f => f.FaceId).ToHashSet(StringComparer.Ordinal);
        var leftovers = new List<Leftover>();

        var unrecordedFaces = scan.CollectionFacesOf(personId).Where(id => !recordedIds.Contains(id)).ToList();
        leftovers.AddRange(unrecordedFaces.Select(id => new Leftover(LeftoverKind.UnrecordedFace, personId, id, Repaired: false)));

        // Under the lease every recorded face of the person was indexed before its record was written, so a face the collection
        // does not hold now was deleted (a deletion cut short): listed again, for this person, to be sure of it.
        List<RegisteredFace> missingRecords = [];
        if (missingAllowed && recorded.Any(f => scan.IsMissingFromCollection(f)))
        {
            var present = (await faces.FindFaceIdsByExternalImageIdAsync(personId.ToString("N"), cancellationToken).ConfigureAwait(false))
                .ToHashSet(StringComparer.Ordinal);
            missingRecords = recorded.Where(f => !present.Contains(f.FaceId)).ToList();
        }

        var keptKeys = recorded.Except(missingRecords).Select(f => f.ImageKey).ToHashSet();
        var personGoes = person is not null && keptKeys.Count == 0;

        // A face nobody recorded means a registration of this person died after indexing: a photo beside it is that
        // registration's, not an upload on its way. So is every photo of a person who goes.
        var registrationDied = unrecordedFaces.Count > 0;
        var now = time.GetUtcNow();
        var pending = new List<StoredImageKeyAge>();
        foreach (var image in scan.ImagesOf(personId).Where(i => !keptKeys.Contains(i.Key)))
        {
            var age = now - image.WrittenAt;
            if (personGoes || registrationDied || age >= _options.PendingImageGrace || missingRecords.Any(f => f.ImageKey == image.Key))
            {
                leftovers.Add(new Leftover(LeftoverKind.UnrecordedImage, personId, image.Key.Value, Repaired: false));
            }
            else
            {
                pending.Add(new StoredImageKeyAge(image.Key.Value, age));
            }
        }

        leftovers.AddRange(missingRecords.Select(f => new Leftover(LeftoverKind.FaceMissingFromCollection, personId, f.FaceId, Repaired: false)));
        if (personGoes)
        {
            leftovers.Add(new Leftover(LeftoverKind.PersonWithoutFace, personId, personId.ToString(), Repaired: false));
        }

        return new Judgement(personId, person is not null, leftovers, missingRecords, pending);
    }

    /// <summary>Faces, then photos, then face records, then the person; each step idempotent.</summary>
    private async Task<IReadOnlyList<Leftover>> RepairAsync(Judgement judged, CancellationToken cancellationToken)
    {
        var repaired = new List<Leftover>(judged.Leftovers.Count);
        try
        {
            var unrecordedFaces = judged.Leftovers.Where(l => l.Kind == LeftoverKind.UnrecordedFace).ToList();
            if (unrecordedFaces.Count > 0)
            {
                await faces.DeleteFacesAsync(unrecordedFaces.Select(l => l.Item).ToArray(), cancellationToken).ConfigureAwait(false);
                repaired.AddRange(unrecordedFaces.Select(l => l with { Repaired = true }));
            }

            foreach (var image in judged.Leftovers.Where(l => l.Kind == LeftoverKind.UnrecordedImage))
            {
                FaceImageKey.TryParse(image.Item, out var key);
                await images.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                repaired.Add(image with { Repaired = true });
            }

            foreach (var face in judged.Leftovers.Where(l => l.Kind == LeftoverKind.FaceMissingFromCollection))
            {
                await directory.DeleteFaceAsync(face.Item, cancellationToken).ConfigureAwait(false);
                repaired.Add(face with { Repaired = true });
            }

            if (judged.Leftovers.FirstOrDefault(l => l.Kind == LeftoverKind.PersonWithoutFace) is { } person)
            {
                await directory.DeletePersonAsync(judged.PersonId, cancellationToken).ConfigureAwait(false);
                repaired.Add(person with { Repaired = true });
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not repair the leftovers of person {PersonId}; the next reconciliation tries again", judged.PersonId);
        }

        // What failed stays reported, unrepaired.
        return judged.Leftovers.Select(l => repaired.FirstOrDefault(r => r.Kind == l.Kind && r.Item == l.Item) ?? l).ToList();
    }

    private void Log(ReconciliationReport report)
    {
        foreach (var leftover in report.Leftovers)
        {
            logger.LogWarning("{Action} {Kind} {Item} of person {PersonId}",
                leftover.Repaired ? "Deleted" : "Found", leftover.Kind, leftover.Item, leftover.PersonId);
        }

        foreach (var warning in report.Warnings)
        {
            logger.LogError("Reconciliation: {Warning}", warning);
        }

        if (report.BusyPeople.Count > 0)
        {
            logger.LogWarning("Reconciliation skipped {Count} people whose lease another process held", report.BusyPeople.Count);
        }
    }
}
