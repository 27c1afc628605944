using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Registers an image already in the image store (bulk import, the S3-upload function): the person id comes from the key,
/// the name from the object's metadata. Idempotent: an image already indexed is reported as such and changes nothing.
/// </summary>
/// <remarks>
/// <para>
/// Write access to the image store is enrolment access, so this path may only create a new person or add a face to a person
/// who was imported (consent <c>import:…</c>). A face for somebody who signed up themselves, an admin included, is refused
/// (<see cref="RegistrationStatus.PersonNotImportable"/>): otherwise whoever can upload under a person's id could add their own
/// face to that person and sign in as them. The metadata's person id must be the key's.
/// </para>
/// <para>
/// A refused image (bad name, no usable face, another person's face, a person who cannot be imported into) is deleted from the
/// store. Nothing else points to it, so no admin could ever find and delete it, and deletion has to mean "everywhere"; the
/// operator still has the original it was uploaded from, and the import summary names it. When a storage step fails instead
/// (<see cref="RegistrationStatus.Failed"/>) the image stays, so that a retry of the import or of the function can finish.
/// </para>
/// <para>Imported people are never made admin: an admin is somebody who signed up, or is listed in <c>FaceLogin:Admins</c>.</para>
/// </remarks>
internal sealed class StoredImageRegistration(
    FaceEnrolment enrolment,
    IFaceImageStore images,
    IFaceDirectory directory,
    TimeProvider time,
    ILogger logger)
{
    public async Task<RegistrationResult> RegisterAsync(FaceImageKey key, ImageBudget imageBudget, CancellationToken cancellationToken)
    {
        var result = await enrolment.RunAsync(() => RegisterOnceAsync(key, imageBudget, cancellationToken)).ConfigureAwait(false);
        if (IsDefinitiveRefusal(result.Status))
        {
            await DiscardRefusedUploadAsync(key).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>True for a person that imports may add faces to: one created by an import.</summary>
    public static bool IsImportable(Person person) =>
        person.ConsentVersion.StartsWith(RegistrationService.ImportConsentPrefix, StringComparison.Ordinal);

    private async Task<RegistrationResult> RegisterOnceAsync(FaceImageKey key, ImageBudget imageBudget, CancellationToken cancellationToken)
    {
        if (await FindAlreadyImportedAsync(key, cancellationToken).ConfigureAwait(false) is { } already)
        {
            return already;
        }

        var stored = await images.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new RegistrationResult(RegistrationStatus.ImageNotFound, RegistrationService.ImageNotFoundMessage);
        }

        if (stored.Metadata.PersonId != key.PersonId)
        {
            logger.LogWarning("Image {ImageKey} names another person in its metadata; refused", key);
            return new RegistrationResult(RegistrationStatus.MetadataMismatch, RegistrationService.MetadataMismatchMessage);
        }

        if (await RefuseIfNotImportableAsync(key.PersonId, cancellationToken).ConfigureAwait(false) is { } notImportable)
        {
            return notImportable;
        }

        if (!PersonName.TryNormalize(stored.Metadata.FullName, out var fullName, out var nameProblem))
        {
            return new RegistrationResult(RegistrationStatus.InvalidName, nameProblem);
        }

        ReadOnlyMemory<byte> image = stored.Bytes;
        // The door's size and pixel budget (import or upload), from the header, before anything is decoded.
        imageBudget.Check(image.Span);
        if (await enrolment.CheckOneUsableFaceAsync(image, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return await enrolment.WriteAsync(undo => WriteAsync(key, image, fullName, undo, cancellationToken), cancellationToken, leasePersonId: key.PersonId)
            .ConfigureAwait(false);
    }

    private async Task<RegistrationResult> WriteAsync(FaceImageKey key, ReadOnlyMemory<byte> image, string fullName, UndoLog undo, CancellationToken cancellationToken)
    {
        // Again under the gate: the same object may be handled twice at once (an import and the S3 event, a retry).
        if (await FindAlreadyImportedAsync(key, cancellationToken).ConfigureAwait(false) is { } alreadyNow)
        {
            return alreadyNow;
        }

        if (await enrolment.FindOtherPersonsMatchAsync(image, key.PersonId, cancellationToken).ConfigureAwait(false) is { } conflict)
        {
            return conflict;
        }

        var indexed = await enrolment.IndexAsync(image, key, undo, cancellationToken).ConfigureAwait(false);
        if (indexed.Refusal is { } indexRefusal)
        {
            return indexRefusal;
        }

        CrashPoint.Reach("stored-image:after-face");
        return await AddToDirectoryAsync(key, fullName, indexed.Face!, undo, cancellationToken).ConfigureAwait(false);
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
            var newPerson = new Person(key.PersonId, fullName, now, now, $"{RegistrationService.ImportConsentPrefix}{now:yyyy-MM-dd}", IsAdmin: false, LastSignInAt: null);
            try
            {
                await directory.AddPersonAsync(newPerson, face, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Imported person {PersonId} with face {FaceId}", key.PersonId, face.FaceId);
                return new RegistrationResult(RegistrationStatus.Registered, RegistrationService.RegisteredMessage, newPerson, face);
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

        if (!IsImportable(person))
        {
            // Signed up while this image was being checked: refused like any upload for them, and the undo takes the face back.
            return NotImportable(key.PersonId);
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
        return new RegistrationResult(RegistrationStatus.Registered, RegistrationService.RegisteredMessage, person, face);
    }

    private async Task<RegistrationResult?> RefuseIfNotImportableAsync(Guid personId, CancellationToken cancellationToken) =>
        await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false) is { } person && !IsImportable(person) ? NotImportable(personId) : null;

    private RegistrationResult NotImportable(Guid personId)
    {
        logger.LogWarning("An image was uploaded for person {PersonId}, who signed up themselves; refused (imports only add faces to imported people)", personId);
        return new RegistrationResult(RegistrationStatus.PersonNotImportable, RegistrationService.PersonNotImportableMessage);
    }

    private async Task<RegistrationResult?> FindAlreadyImportedAsync(FaceImageKey key, CancellationToken cancellationToken)
    {
        var face = await directory.FindFaceByImageKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (face is null)
        {
            return null;
        }

        var person = await directory.GetPersonAsync(face.PersonId, cancellationToken).ConfigureAwait(false);
        return new RegistrationResult(RegistrationStatus.AlreadyImported, RegistrationService.AlreadyImportedMessage, person, face);
    }

    private static bool IsDefinitiveRefusal(RegistrationStatus status) => status is
        RegistrationStatus.InvalidName or RegistrationStatus.BadImage or RegistrationStatus.NoFace
        or RegistrationStatus.MultipleFaces or RegistrationStatus.PoorQuality or RegistrationStatus.AlreadyRegistered
        or RegistrationStatus.PersonNotImportable or RegistrationStatus.MetadataMismatch;

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
}
