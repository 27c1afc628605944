using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Signs a new person up from the sign-up page: validates name and consent, checks the image holds exactly one usable face
/// that is not registered yet, stores the image, indexes the face and writes the directory record — undoing earlier steps
/// when a later one fails.
/// </summary>
/// <remarks>
/// Everything that can refuse without writing (name, consent, detection, quality, duplicate search) runs first; then the three
/// writes, image → face → directory record. The directory record comes last because it is what makes a registration visible:
/// until it is written, sign-in resolves the indexed face to nobody, and an undo has only the image and the face to take back.
/// The first person the directory ever holds becomes admin, decided by the directory in the same atomic write as the person.
/// </remarks>
internal sealed class SignUpService(
    FaceEnrolment enrolment,
    IFaceImageStore images,
    IFaceDirectory directory,
    TimeProvider time,
    ILogger logger)
{
    public async Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PersonName.TryNormalize(request.FullName, out var fullName, out var nameProblem))
        {
            return new RegistrationResult(RegistrationStatus.InvalidName, nameProblem);
        }

        if (!request.ConsentGiven)
        {
            return new RegistrationResult(RegistrationStatus.ConsentMissing, RegistrationService.ConsentMissingMessage);
        }

        var image = request.Image;
        return await enrolment.RunAsync(async () =>
        {
            if (await enrolment.CheckOneUsableFaceAsync(image, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            return await enrolment.WriteAsync(undo => WriteAsync(image, fullName, undo, cancellationToken), cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<RegistrationResult> WriteAsync(ReadOnlyMemory<byte> image, string fullName, UndoLog undo, CancellationToken cancellationToken)
    {
        var personId = Guid.NewGuid();
        if (await enrolment.FindOtherPersonsMatchAsync(image, personId, cancellationToken).ConfigureAwait(false) is { } conflict)
        {
            return conflict;
        }

        // Each undo is registered before its step: a step can fail after it wrote (a lost response), and undoing what was never
        // written is harmless because every id here is brand new.
        var key = FaceImageKey.New(personId);
        undo.Add($"image {key}", () => images.DeleteAsync(key, CancellationToken.None));
        await images.PutAsync(key, image, new FaceImageMetadata(fullName, personId, ImageContentType.Sniff(image.Span)), cancellationToken).ConfigureAwait(false);

        var indexed = await enrolment.IndexAsync(image, key, undo, cancellationToken).ConfigureAwait(false);
        if (indexed.Refusal is { } indexRefusal)
        {
            return indexRefusal;
        }

        var now = time.GetUtcNow();
        var person = new Person(personId, fullName, now, now, ConsentText.Version, IsAdmin: false, LastSignInAt: null);
        undo.Add($"directory record of person {personId}", () => directory.DeletePersonAsync(personId, CancellationToken.None));
        var stored = await directory.AddPersonAdminIfFirstAsync(person, indexed.Face!, cancellationToken).ConfigureAwait(false);

        logger.LogInformation("Registered person {PersonId} with face {FaceId}; admin as first person: {IsAdmin}",
            personId, indexed.Face!.FaceId, stored.IsAdmin);
        return new RegistrationResult(RegistrationStatus.Registered, RegistrationService.RegisteredMessage, stored, indexed.Face);
    }
}
