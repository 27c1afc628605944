using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Signs a person up: validates name and consent, checks the image holds exactly one usable face that is not
/// registered yet, stores the image, indexes the face and writes the directory record — undoing earlier steps when a later one fails.
/// </summary>
/// <remarks>
/// <para>
/// Order of the steps: everything that can refuse without writing (name, consent, detection, quality, duplicate search) runs
/// first; then the three writes, image → face → directory record. The directory record comes last because it is what makes a
/// registration visible: until it is written, sign-in resolves the indexed face to nobody, and an undo has only the image and
/// the face to take back.
/// </para>
/// <para>
/// Within one process, registrations are serialised from the duplicate search to the directory write (the engine's detection
/// runs outside that). That makes two things deterministic: two people signing up with the same face at once cannot both
/// pass the duplicate check, and of two first sign-ups at once exactly one finds the directory empty and becomes admin.
/// Across processes (several web servers on one DynamoDB table, or S3-upload functions) the duplicate check is best-effort,
/// as in the seed design; the first admin is then best set with <c>FaceLogin:Admins</c>.
/// </para>
/// </remarks>
public sealed class RegistrationService(
    IFaceCollection faces,
    IFaceImageStore images,
    IFaceDirectory directory,
    IOptions<RegistrationOptions> options,
    TimeProvider time,
    ILogger<RegistrationService> logger)
{
    public const string RegisteredMessage = "You're registered. From now on, sign in by looking at the camera.";
    public const string ConsentMissingMessage =
        "Please agree to how your photo and face template are stored and used; without that we can't register you.";
    public const string AlreadyRegisteredMessage = "This face is already registered. Sign in instead.";
    public const string FailedMessage = "Something went wrong while saving your registration, and nothing was kept. Please try again.";
    public const string AlreadyImportedMessage = "This image is registered already; nothing was changed.";
    public const string ImageNotFoundMessage = "The image is not in the image store.";

    /// <summary>
    /// Imported people did not tick the sign-up box: the operator who imports asserts they consented (the import command and
    /// docs say so), and the record says where the consent came from and when: <c>import:yyyy-MM-dd</c>.
    /// </summary>
    public const string ImportConsentPrefix = "import:";

    /// <summary>Matches looked at in the duplicate search: enough to look past a stale face that belongs to nobody.</summary>
    private const int DuplicateCandidates = 5;

    private readonly RegistrationOptions settings = options.Value;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    /// <summary>A new person from the sign-up page.</summary>
    public async Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PersonName.TryNormalize(request.FullName, out var fullName, out var nameProblem))
        {
            return new RegistrationResult(RegistrationStatus.InvalidName, nameProblem);
        }

        if (!request.ConsentGiven)
        {
            return new RegistrationResult(RegistrationStatus.ConsentMissing, ConsentMissingMessage);
        }

        var image = request.Image;
        return await WithUndoAsync(async undo =>
        {
            if (await CheckOneUsableFaceAsync(image, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var personId = Guid.NewGuid();
            await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (await FindOtherPersonsMatchAsync(image, personId, cancellationToken).ConfigureAwait(false) is { } conflict)
                {
                    return conflict;
                }

                // Each undo is registered before its step: a step can fail after it wrote (a lost response), and undoing
                // what was never written is harmless because every id here is brand new.
                var key = FaceImageKey.New(personId);
                undo.Add($"image {key}", () => images.DeleteAsync(key, CancellationToken.None));
                await images.PutAsync(key, image, new FaceImageMetadata(fullName, personId, ImageContentType.Sniff(image.Span)), cancellationToken)
                    .ConfigureAwait(false);

                var indexed = await IndexAsync(image, key, personIsNew: true, undo, cancellationToken).ConfigureAwait(false);
                if (indexed.Refusal is { } indexRefusal)
                {
                    return indexRefusal;
                }

                var now = time.GetUtcNow();
                // Decided under the write gate, immediately before the write: see the class remarks.
                var isFirstPerson = await directory.CountPeopleAsync(cancellationToken).ConfigureAwait(false) == 0;
                var person = new Person(personId, fullName, now, now, ConsentText.Version, IsAdmin: isFirstPerson, LastSignInAt: null);
                undo.Add($"directory record of person {personId}", () => directory.DeletePersonAsync(personId, CancellationToken.None));
                await directory.AddPersonAsync(person, indexed.Face!, cancellationToken).ConfigureAwait(false);

                logger.LogInformation("Registered person {PersonId} with face {FaceId}; admin as first person: {IsAdmin}",
                    personId, indexed.Face!.FaceId, isFirstPerson);
                return new RegistrationResult(RegistrationStatus.Registered, RegisteredMessage, person, indexed.Face);
            }
            finally
            {
                writeGate.Release();
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// An image already in the image store (bulk import, the S3-upload function): the person id comes from the key,
    /// the name from the object's metadata. Idempotent: an image already indexed is reported as such and changes nothing.
    /// When the person exists the face is added to them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A refused image (bad name, no usable face, another person's face) is deleted from the store. Nothing else points to it,
    /// so no admin could ever find and delete it, and deletion has to mean "everywhere"; the operator still has the original
    /// it was uploaded from, and the import summary names it. When a storage step fails instead (<see cref="RegistrationStatus.Failed"/>)
    /// the image stays, so that a retry of the import or of the function can finish the job.
    /// </para>
    /// <para>Imported people are never made admin: an admin is somebody who signed up, or is named in <c>FaceLogin:Admins</c>.</para>
    /// </remarks>
    public async Task<RegistrationResult> RegisterStoredImageAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        var result = await WithUndoAsync(async undo =>
        {
            if (await FindAlreadyImportedAsync(key, cancellationToken).ConfigureAwait(false) is { } already)
            {
                return already;
            }

            var stored = await images.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new RegistrationResult(RegistrationStatus.ImageNotFound, ImageNotFoundMessage);
            }

            if (!PersonName.TryNormalize(stored.Metadata.FullName, out var fullName, out var nameProblem))
            {
                return new RegistrationResult(RegistrationStatus.InvalidName, nameProblem);
            }

            ReadOnlyMemory<byte> image = stored.Bytes;
            if (await CheckOneUsableFaceAsync(image, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Again under the gate: the same object may be handled twice at once (an import and the S3 event, a retry).
                if (await FindAlreadyImportedAsync(key, cancellationToken).ConfigureAwait(false) is { } alreadyNow)
                {
                    return alreadyNow;
                }

                if (await FindOtherPersonsMatchAsync(image, key.PersonId, cancellationToken).ConfigureAwait(false) is { } conflict)
                {
                    return conflict;
                }

                var indexed = await IndexAsync(image, key, personIsNew: false, undo, cancellationToken).ConfigureAwait(false);
                if (indexed.Refusal is { } indexRefusal)
                {
                    return indexRefusal;
                }

                return await AddToDirectoryAsync(key, fullName, indexed.Face!, undo, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeGate.Release();
            }
        }).ConfigureAwait(false);

        if (IsDefinitiveRefusal(result.Status))
        {
            await DiscardRefusedUploadAsync(key).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Adds the face to the person, creating the person if needed. A conflict means the write was refused and wrote nothing,
    /// so its undo is registered only for other failures (which may have written before failing).
    /// </summary>
    private async Task<RegistrationResult> AddToDirectoryAsync(FaceImageKey key, string fullName, RegisteredFace face, UndoLog undo, CancellationToken cancellationToken)
    {
        var person = await directory.GetPersonAsync(key.PersonId, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            var now = time.GetUtcNow();
            var newPerson = new Person(key.PersonId, fullName, now, now, $"{ImportConsentPrefix}{now:yyyy-MM-dd}", IsAdmin: false, LastSignInAt: null);
            try
            {
                await directory.AddPersonAsync(newPerson, face, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Imported person {PersonId} with face {FaceId}", key.PersonId, face.FaceId);
                return new RegistrationResult(RegistrationStatus.Registered, RegisteredMessage, newPerson, face);
            }
            catch (DirectoryConflictException)
            {
                // Another process created the person between the look-up and the write: add the face to them instead.
                person = await directory.GetPersonAsync(key.PersonId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Adding person {key.PersonId} conflicted, but the person does not exist.");
            }
            catch
            {
                undo.Add($"directory record of person {key.PersonId}", () => directory.DeletePersonAsync(key.PersonId, CancellationToken.None));
                throw;
            }
        }

        try
        {
            await directory.AddFaceAsync(face, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryConflictException)
        {
            // Another process registered this very image meanwhile: ours is the duplicate, and the undo takes our face back.
            if (await FindAlreadyImportedAsync(key, cancellationToken).ConfigureAwait(false) is not { } registeredMeanwhile)
            {
                throw;
            }

            return registeredMeanwhile;
        }
        catch
        {
            undo.Add($"directory record of face {face.FaceId}", () => directory.DeleteFaceAsync(face.FaceId, CancellationToken.None));
            throw;
        }

        logger.LogInformation("Added face {FaceId} to person {PersonId}", face.FaceId, key.PersonId);
        return new RegistrationResult(RegistrationStatus.Registered, RegisteredMessage, person, face);
    }

    private async Task<RegistrationResult?> FindAlreadyImportedAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        var face = await directory.FindFaceByImageKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (face is null)
        {
            return null;
        }

        var person = await directory.GetPersonAsync(face.PersonId, cancellationToken).ConfigureAwait(false);
        return new RegistrationResult(RegistrationStatus.AlreadyImported, AlreadyImportedMessage, person, face);
    }

    /// <summary>Runs the steps; any result but success undoes what they did, and so does an exception.</summary>
    private async Task<RegistrationResult> WithUndoAsync(Func<UndoLog, Task<RegistrationResult>> steps)
    {
        var undo = new UndoLog(logger);
        try
        {
            var result = await steps(undo).ConfigureAwait(false);
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
        catch (FaceImageRejectedException ex)
        {
            await undo.RollbackAsync().ConfigureAwait(false);
            return BadImage(ex.Problem);
        }
        catch (OperationCanceledException)
        {
            await undo.RollbackAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A registration step failed; undoing the steps before it");
            await undo.RollbackAsync().ConfigureAwait(false);
            return new RegistrationResult(RegistrationStatus.Failed, FailedMessage);
        }
    }

    /// <summary>Null when the image holds exactly one face good enough to register; otherwise the refusal.</summary>
    private async Task<RegistrationResult?> CheckOneUsableFaceAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var detected = await faces.DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);
        if (detected.Faces.Count == 0)
        {
            return NoFace();
        }

        if (detected.Faces.Count > 1)
        {
            return MultipleFaces();
        }

        var reasons = settings.Quality.Assess(detected.Faces[0]);
        return reasons.Count > 0 ? PoorQuality(reasons) : null;
    }

    /// <summary>
    /// The duplicate check: a refusal when the face matches a registered face of anybody but <paramref name="allowedPersonId"/>.
    /// A matching face that the directory does not know is a leftover of a crashed registration (or one still in progress
    /// elsewhere); it is not a person, so it does not block, and it is logged for clean-up.
    /// </summary>
    private async Task<RegistrationResult?> FindOtherPersonsMatchAsync(ReadOnlyMemory<byte> image, Guid allowedPersonId, CancellationToken cancellationToken)
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
                return new RegistrationResult(RegistrationStatus.AlreadyRegistered, AlreadyRegisteredMessage);
            }
        }

        return null;
    }

    /// <param name="personIsNew">
    /// True when the person id was made for this registration: then any face indexed under it is this attempt's, and if
    /// indexing fails after the engine indexed (a lost answer), the undo can find the face by its external id.
    /// </param>
    private async Task<IndexOutcome> IndexAsync(ReadOnlyMemory<byte> image, FaceImageKey key, bool personIsNew, UndoLog undo, CancellationToken cancellationToken)
    {
        var externalImageId = key.PersonId.ToString("N");
        IndexFacesResult result;
        try
        {
            result = await faces.IndexFaceAsync(image, externalImageId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (personIsNew && ex is not FaceImageRejectedException)
        {
            undo.Add($"faces indexed under {externalImageId}", async () =>
            {
                var strays = await faces.FindFaceIdsByExternalImageIdAsync(externalImageId, CancellationToken.None).ConfigureAwait(false);
                if (strays.Count > 0)
                {
                    await faces.DeleteFacesAsync(strays.ToArray(), CancellationToken.None).ConfigureAwait(false);
                }
            });
            throw;
        }

        if (result.Indexed is not { } record)
        {
            // The engine's own quality filter refused the face: its reasons, less the ones about other faces.
            var reasons = result.Unindexed.SelectMany(u => u.Reasons).Where(r => r != UnindexedReason.ExceedsMaxFaces).Distinct().ToArray();
            return new IndexOutcome(null, reasons.Length > 0 ? PoorQuality(reasons) : result.Unindexed.Count > 0 ? MultipleFaces() : NoFace());
        }

        undo.Add($"face {record.FaceId} in collection {faces.CollectionId}", () => faces.DeleteFacesAsync([record.FaceId], CancellationToken.None));
        if (result.Unindexed.Any(u => u.Reasons.Contains(UnindexedReason.ExceedsMaxFaces)))
        {
            // Detection saw one face but indexing saw more (engines can differ near their thresholds): refuse, as detection would have.
            return new IndexOutcome(null, MultipleFaces());
        }

        var face = new RegisteredFace(record.FaceId, key.PersonId, key, result.IndexedDetail?.Box ?? record.Box, time.GetUtcNow());
        return new IndexOutcome(face, null);
    }

    private static bool IsDefinitiveRefusal(RegistrationStatus status) => status is
        RegistrationStatus.InvalidName or RegistrationStatus.BadImage or RegistrationStatus.NoFace
        or RegistrationStatus.MultipleFaces or RegistrationStatus.PoorQuality or RegistrationStatus.AlreadyRegistered;

    private async Task DiscardRefusedUploadAsync(FaceImageKey key)
    {
        try
        {
            await images.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not delete the refused image {ImageKey}; it is left in the store", key);
        }
    }

    private static RegistrationResult NoFace() => new(RegistrationStatus.NoFace, FaceFeedback.NoFace);

    private static RegistrationResult MultipleFaces() =>
        new(RegistrationStatus.MultipleFaces, FaceFeedback.MultipleFaces, Reasons: [UnindexedReason.ExceedsMaxFaces]);

    private static RegistrationResult PoorQuality(IReadOnlyList<UnindexedReason> reasons) =>
        new(RegistrationStatus.PoorQuality, FaceFeedback.ForQuality(reasons), Reasons: reasons);

    private static RegistrationResult BadImage(ImageProblem problem) =>
        new(RegistrationStatus.BadImage, FaceFeedback.ForImageProblem(problem), ImageProblem: problem);

    /// <summary>Either the face ready for the directory, or why there is none.</summary>
    private sealed record IndexOutcome(RegisteredFace? Face, RegistrationResult? Refusal);
}
