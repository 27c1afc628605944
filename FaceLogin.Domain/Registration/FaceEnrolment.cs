using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// What sign-up and stored-image registration share: the face checks (one usable face, not somebody else's), indexing with
/// the undo of a lost answer, the write gate, and turning exceptions into results.
/// </summary>
/// <remarks>
/// Within one process, every registration's writes (duplicate search → image → face → directory record, and their undo) run
/// under one write gate; the engine's detection runs outside it. That makes the duplicate check exact within a process (two
/// people signing up with one face at once cannot both pass it), and an undo never races another registration's writes.
/// Across processes, the person's lease (<see cref="IFaceDirectory.HoldPersonLeaseAsync"/>, taken for stored images of an
/// existing or imported person) keeps the undo of a lost IndexFaces answer from taking another process's face; the
/// duplicate check is best-effort, as in the seed design; the first admin is decided by the directory
/// (<see cref="IFaceDirectory.AddPersonAdminIfFirstAsync"/>), so that part is exact everywhere.
/// </remarks>
internal sealed class FaceEnrolment(
    IFaceCollection faces,
    IFaceDirectory directory,
    RegistrationOptions settings,
    FaceAdmissionPolicy admission,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Matches looked at in the duplicate search: enough to look past a stale face that belongs to nobody.</summary>
    private const int DuplicateCandidates = 5;

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public string CollectionId => faces.CollectionId;

    /// <summary>
    /// Runs a registration: an image the engine cannot use becomes <see cref="RegistrationStatus.BadImage"/>, any other failure
    /// <see cref="RegistrationStatus.Failed"/> (logged); cancellation and a full storage (which <see cref="RegistrationService"/>
    /// answers for every door, the steps before it being undone already) are rethrown.
    /// </summary>
    public async Task<RegistrationResult> RunAsync(Func<Task<RegistrationResult>> registration)
    {
        try
        {
            return await registration().ConfigureAwait(false);
        }
        catch (FaceImageRejectedException ex)
        {
            return BadImage(ex);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (!StorageFull.IsCause(ex))
        {
            logger.LogError(ex, "A registration step failed; the steps before it were undone");
            return new RegistrationResult(RegistrationStatus.Failed, RegistrationService.FailedMessage);
        }
    }

    /// <summary>
    /// Runs the writing steps under the write gate. Any result but success undoes what they did, and so does an exception
    /// (rethrown after the undo); the undo also runs under the gate, so it cannot take back another registration's face.
    /// </summary>
    /// <param name="leasePersonId">
    /// The existing person whose faces the writes may add to: their lease (<see cref="IFaceDirectory.HoldPersonLeaseAsync"/>)
    /// is held across the writes and their undo, so that, across processes too, the undo after a lost IndexFaces answer
    /// cannot delete a face another registration of the same person has indexed and not yet recorded. Sign-up takes its new
    /// person's too: nobody else can know the id, but reconciliation in another process must see that the writes are in
    /// progress (<see cref="Reconciliation.ReconciliationService"/>).
    /// </param>
    public async Task<RegistrationResult> WriteAsync(
        Func<UndoLog, Task<RegistrationResult>> writes, CancellationToken cancellationToken, Guid? leasePersonId = null)
    {
        // Taken before the process's gate, so a wait for another process does not hold up this process's other registrations.
        await using var lease = leasePersonId is { } personId
            ? await directory.HoldPersonLeaseAsync(personId, cancellationToken).ConfigureAwait(false)
            : null;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var undo = new UndoLog(logger);
            RegistrationResult result;
            try
            {
                result = await writes(undo).ConfigureAwait(false);
            }
            catch
            {
                await undo.RollbackAsync().ConfigureAwait(false);
                throw;
            }

            if (result.Succeeded)
            {
                undo.Commit();
            }
            else
            {
                await undo.RollbackAsync().ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Null when the registration door's <see cref="FaceAdmissionPolicy"/> finds one person (faces in the background are
    /// ignored) whose face is good enough to register; otherwise the refusal, in the words every door uses.
    /// </summary>
    public async Task<RegistrationResult?> CheckOneUsableFaceAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var detected = await faces.DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);
        var verdict = admission.Admit(detected.Faces);
        return verdict.Kind switch
        {
            FaceAdmissionKind.NoFace => NoFace(),
            FaceAdmissionKind.SeveralPeople => MultipleFaces(),
            FaceAdmissionKind.PoorQuality => PoorQuality(verdict.Reasons),
            _ => null,
        };
    }

    /// <summary>
    /// The duplicate check: a refusal when the face matches a registered face of anybody but <paramref name="allowedPersonId"/>.
    /// A matching face that the directory does not know is a leftover of a crashed registration (or one still in progress
    /// elsewhere); it is not a person, so it does not block, and it is logged for clean-up.
    /// </summary>
    public async Task<RegistrationResult?> FindOtherPersonsMatchAsync(ReadOnlyMemory<byte> image, Guid allowedPersonId, CancellationToken cancellationToken)
    {
        var search = await faces.SearchFacesByImageAsync(image, settings.DuplicateThreshold, DuplicateCandidates, cancellationToken).ConfigureAwait(false);
        if (search.SearchedFace is null)
        {
            return NoFace();
        }

        foreach (var match in search.Matches)
        {
            var owner = await directory.FindFaceAsync(match.Face.FaceId, cancellationToken).ConfigureAwait(false);
            if (owner is null)
            {
                logger.LogWarning("Face {FaceId} in the collection belongs to nobody in the directory; ignored by the duplicate check", match.Face.FaceId);
                continue;
            }

            if (owner.PersonId != allowedPersonId)
            {
                return new RegistrationResult(RegistrationStatus.AlreadyRegistered, RegistrationService.AlreadyRegisteredMessage);
            }
        }

        return null;
    }

    /// <summary>
    /// Indexes the face under the person's id. If the engine fails (or its answer is lost after it indexed), the undo removes
    /// every face indexed under that id that the directory does not know: this attempt's, whether the person is new or not.
    /// </summary>
    public async Task<IndexOutcome> IndexAsync(ReadOnlyMemory<byte> image, FaceImageKey key, UndoLog undo, CancellationToken cancellationToken)
    {
        var externalImageId = key.PersonId.ToString("N");
        IndexFacesResult result;
        try
        {
            result = await faces.IndexFaceAsync(image, externalImageId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not FaceImageRejectedException)
        {
            undo.Add($"faces indexed under {externalImageId} that the directory does not know", () => DeleteUnrecordedFacesAsync(key.PersonId));
            throw;
        }

        if (result.Indexed is not { } record)
        {
            // The engine's own quality filter refused the face: its reasons, less the ones about other faces.
            var reasons = result.Unindexed.SelectMany(u => u.Reasons).Where(r => r != UnindexedReason.ExceedsMaxFaces).Distinct().ToArray();
            return new IndexOutcome(null, reasons.Length > 0 ? PoorQuality(reasons) : result.Unindexed.Count > 0 ? MultipleFaces() : NoFace());
        }

        undo.Add($"face {record.FaceId} in collection {faces.CollectionId}", () => faces.DeleteFacesAsync([record.FaceId], CancellationToken.None));
        var others = result.Unindexed.Where(u => u.Reasons.Contains(UnindexedReason.ExceedsMaxFaces)).Select(u => u.Detail.Box);
        if (admission.FaceRule.Judge([result.IndexedDetail?.Box ?? record.Box, .. others]) is not { Kind: FaceVerdictKind.OnePerson, Person: 0 })
        {
            // Detection saw one person but indexing saw another face as large (engines can differ near their thresholds), or
            // indexed a face that is not the person's: refuse, as detection would have.
            return new IndexOutcome(null, MultipleFaces());
        }

        var face = new RegisteredFace(record.FaceId, key.PersonId, key, result.IndexedDetail?.Box ?? record.Box, time.GetUtcNow());
        return new IndexOutcome(face, null);
    }

    /// <summary>
    /// Faces indexed under the person's id minus those the directory records for them: what a lost IndexFaces answer left.
    /// Runs under the write gate (see <see cref="WriteAsync"/>), so within the process no other registration is between its
    /// indexing and its directory write; and, for a stored image, under the person's lease, so no other process is either.
    /// </summary>
    private async Task DeleteUnrecordedFacesAsync(Guid personId)
    {
        var indexed = await faces.FindFaceIdsByExternalImageIdAsync(personId.ToString("N"), CancellationToken.None).ConfigureAwait(false);
        if (indexed.Count == 0)
        {
            return;
        }

        var recorded = (await directory.GetFacesAsync(personId, CancellationToken.None).ConfigureAwait(false)).Select(f => f.FaceId).ToHashSet(StringComparer.Ordinal);
        var strays = indexed.Where(id => !recorded.Contains(id)).ToArray();
        if (strays.Length > 0)
        {
            await faces.DeleteFacesAsync(strays, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static RegistrationResult NoFace() => new(RegistrationStatus.NoFace, FaceFeedback.NoFace);

    public static RegistrationResult MultipleFaces() =>
        new(RegistrationStatus.MultipleFaces, FaceFeedback.MultipleFaces, Reasons: [UnindexedReason.ExceedsMaxFaces]);

    public static RegistrationResult PoorQuality(IReadOnlyList<UnindexedReason> reasons) =>
        new(RegistrationStatus.PoorQuality, FaceFeedback.ForQuality(reasons), Reasons: reasons);

    public static RegistrationResult BadImage(FaceImageRejectedException rejection) =>
        new(RegistrationStatus.BadImage, FaceFeedback.ForRejection(rejection), ImageProblem: rejection.Problem);
}

/// <summary>Either the face ready for the directory, or why there is none.</summary>
internal sealed record IndexOutcome(RegisteredFace? Face, RegistrationResult? Refusal);
