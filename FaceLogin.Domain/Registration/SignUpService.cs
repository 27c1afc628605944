using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Signs a new person up from the sign-up page: validates name and consent, checks the image holds exactly one usable face
/// that is not registered yet, stores the image, indexes the face and writes the directory record — undoing earlier steps
/// when a later one fails.
/// </summary>
/// <remarks>
/// Everything that can refuse without writing (name, consent, detection, quality, duplicate search) runs first; then the three
/// writes, face → image → directory record, under the new person's lease. The directory record comes last because it is what
/// makes a registration visible: until it is written, sign-in resolves the indexed face to nobody, and an undo has only the
/// face and the image to take back. The face comes before the image so that a crash (no undo runs) never leaves a photo
/// without a face indexed under the same person id: reconciliation, holding that person's lease, takes such a photo and face
/// at once as a dead registration, instead of waiting, as it must for a photo alone, in case an upload is still on its way to
/// its registration (docs/domain.md, "Crash consistency").
/// The first person the directory ever holds becomes admin, decided by the directory in the same atomic write as the person.
/// </remarks>
internal sealed class SignUpService(
    FaceEnrolment enrolment,
    IFaceImageStore images,
    IFaceDirectory directory,
    AuthenticationOptions lockOut,
    ImageBudget imageBudget,
    TimeProvider time,
    ILogger logger,
    LivenessGate? liveness = null,
    LivenessMode livenessMode = LivenessMode.Off)
{
    private readonly LivenessGate _liveness = liveness ?? new LivenessGate(null);

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

        return request.ClientAddress is null
            ? await EnrolAsync(request, fullName, cancellationToken).ConfigureAwait(false)
            : await EnrolCountedAsync(request, fullName, AuthenticationService.NormalizeClientAddress(request.ClientAddress), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The door's liveness check, the same as sign-in's (<see cref="LivenessGate"/>): the photo to register (the burst's frontal
    /// frame), or the refusal. A refusal as not live is <see cref="RegistrationStatus.NotLive"/>, counted once the throttle is asked.
    /// </summary>
    /// <remarks>
    /// A trusted caller (no client address: not the page) gets the door's check only for a burst it sends; a photo alone it
    /// registers as the operator's import does.
    /// </remarks>
    private (ReadOnlyMemory<byte> Photo, RegistrationResult? Refusal, LivenessRefusal? Refused) CheckLiveness(RegistrationRequest request, CancellationToken cancellationToken)
    {
        var mode = request.ClientAddress is null && request.Burst is null ? LivenessMode.Off : livenessMode;
        var check = _liveness.Check(mode, imageBudget, request.Image, request.Burst, cancellationToken);
        if (check.Passed)
        {
            return (check.Photo, null, null);
        }

        var refusal = check.Verdict!.Refusal;
        var status = check.CountsAsAttempt ? RegistrationStatus.NotLive : refusal switch
        {
            LivenessRefusal.NoFace => RegistrationStatus.NoFace,
            LivenessRefusal.SeveralPeople => RegistrationStatus.MultipleFaces,
            _ => RegistrationStatus.BadImage,
        };
        logger.LogInformation("A sign-up was refused by the liveness check: {Refusal}", refusal);
        return (ReadOnlyMemory<byte>.Empty, new RegistrationResult(status, LivenessFeedback.For(refusal)), refusal);
    }

    /// <summary>
    /// A sign-up from a client that could be probing: a sign-up that reaches the duplicate search answers the question a sign-in
    /// asks ("would this face sign in as somebody?"), "already registered" with yes and a registration with no, so without this
    /// sign-up would be a free way round sign-in's throttle. Exactly as a sign-in: the photo is judged first (a refusal asks no
    /// face question and takes no slot), then the directory's atomic gate (a delayed address gets no search), then every decided
    /// attempt is recorded, and both answers count as misses of the same address as a sign-in that matched nobody
    /// (<see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>).
    /// A sign-up that ends in <see cref="RegistrationStatus.Failed"/> (a storage error, undone) or is cancelled is not recorded,
    /// and its start counts as a miss until it is older than a request can live, as for sign-in.
    /// </summary>
    private async Task<RegistrationResult> EnrolCountedAsync(RegistrationRequest request, string fullName, string clientAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attemptId = Guid.NewGuid();
        var image = ReadOnlyMemory<byte>.Empty;
        LivenessRefusal? livenessRefusal = null;
        var refusal = await enrolment.RunAsync(async () =>
        {
            (image, var notLive, livenessRefusal) = CheckLiveness(request, cancellationToken);
            return notLive ?? await CheckPhotoAsync(image, cancellationToken).ConfigureAwait(false) ?? Usable;
        }).ConfigureAwait(false);
        if (!ReferenceEquals(refusal, Usable) && refusal.Status != RegistrationStatus.NotLive)
        {
            await RecordAsync(attemptId, now, refusal, clientAddress, livenessRefusal).ConfigureAwait(false);
            return refusal;
        }

        var gate = await directory.TryStartLoginAttemptAsync(attemptId, clientAddress, now, new AddressThrottle(lockOut), cancellationToken).ConfigureAwait(false);
        if (!gate.IsAdmitted)
        {
            await directory.AddLoginAttemptAsync(
                new LoginAttempt(attemptId, now, LoginOutcome.LockedOut, null, null, clientAddress), CancellationToken.None).ConfigureAwait(false);
            return new RegistrationResult(RegistrationStatus.LockedOut, AuthenticationService.DelayedMessage(gate)) { RetryAfter = gate.RetryAfter };
        }

        if (refusal.Status == RegistrationStatus.NotLive)
        {
            // Counted like a sign-up that reached the duplicate search: presenting a photo costs what asking with a face costs.
            await RecordAsync(attemptId, now, refusal, clientAddress, livenessRefusal).ConfigureAwait(false);
            return refusal;
        }

        // The photo was judged above: only the duplicate search and the writes are left.
        var result = await enrolment.RunAsync(() => WriteEnrolmentAsync(image, fullName, cancellationToken)).ConfigureAwait(false);
        await RecordAsync(attemptId, now, result, clientAddress).ConfigureAwait(false);
        return result;
    }

    /// <summary>Stands for "the photo is usable" between the check and the gate; never returned.</summary>
    private static readonly RegistrationResult Usable = new(RegistrationStatus.Registered, string.Empty);

    private async Task RecordAsync(Guid attemptId, DateTimeOffset now, RegistrationResult result, string clientAddress, LivenessRefusal? livenessRefusal = null)
    {
        if (AttemptOutcomeOf(result.Status) is not { } outcome)
        {
            return;
        }

        try
        {
            await directory.AddLoginAttemptAsync(
                new LoginAttempt(attemptId, now, outcome, result.Person?.Id, null, clientAddress) { LivenessRefusal = livenessRefusal },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (result.Succeeded)
        {
            // The person is registered; losing the log entry must not turn that into a failure. The unended start keeps counting.
            logger.LogError(ex, "Could not record the sign-up attempt of person {PersonId}", result.Person?.Id);
        }
    }

    private static LoginOutcome? AttemptOutcomeOf(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Registered => LoginOutcome.SignedUp,
        RegistrationStatus.AlreadyRegistered => LoginOutcome.AlreadyRegistered,
        RegistrationStatus.NoFace => LoginOutcome.NoFace,
        RegistrationStatus.MultipleFaces => LoginOutcome.MultipleFaces,
        RegistrationStatus.PoorQuality => LoginOutcome.PoorQuality,
        RegistrationStatus.BadImage => LoginOutcome.BadImage,
        RegistrationStatus.NotLive => LoginOutcome.NotLive,
        _ => null,
    };

    private Task<RegistrationResult> EnrolAsync(RegistrationRequest request, string fullName, CancellationToken cancellationToken) =>
        enrolment.RunAsync(async () =>
        {
            var (image, notLive, _) = CheckLiveness(request, cancellationToken);
            return notLive
                ?? await CheckPhotoAsync(image, cancellationToken).ConfigureAwait(false)
                ?? await WriteEnrolmentAsync(image, fullName, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>The door's refusal of the photo itself (its size and pixels, then its face), or null when it is usable.</summary>
    private Task<RegistrationResult?> CheckPhotoAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        // The sign-up door's size and pixel budget, from the header, before anything is decoded.
        imageBudget.Check(image.Span);
        return enrolment.CheckOneUsableFaceAsync(image, cancellationToken);
    }

    private Task<RegistrationResult> WriteEnrolmentAsync(ReadOnlyMemory<byte> image, string fullName, CancellationToken cancellationToken)
    {
        // The new id's lease, although nobody else knows it yet: it tells reconciliation in any process that these writes are
        // in progress, so it does not take the face and photo of a registration that is about to record its person.
        var personId = Guid.NewGuid();
        return enrolment.WriteAsync(undo => WriteAsync(personId, image, fullName, undo, cancellationToken), cancellationToken, leasePersonId: personId);
    }

    private async Task<RegistrationResult> WriteAsync(Guid personId, ReadOnlyMemory<byte> image, string fullName, UndoLog undo, CancellationToken cancellationToken)
    {
        if (await enrolment.FindOtherPersonsMatchAsync(image, personId, cancellationToken).ConfigureAwait(false) is { } conflict)
        {
            return conflict;
        }

        // Each undo is registered before its step: a step can fail after it wrote (a lost response), and undoing what was never
        // written is harmless because every id here is brand new.
        var key = FaceImageKey.New(personId);
        var indexed = await enrolment.IndexAsync(image, key, undo, cancellationToken).ConfigureAwait(false);
        if (indexed.Refusal is { } indexRefusal)
        {
            return indexRefusal;
        }

        CrashPoint.Reach("sign-up:after-face");
        undo.Add($"image {key}", () => images.DeleteAsync(key, CancellationToken.None));
        await images.PutAsync(key, image, new FaceImageMetadata(fullName, personId, ImageContentType.Sniff(image.Span)), cancellationToken).ConfigureAwait(false);
        CrashPoint.Reach("sign-up:after-image");

        var now = time.GetUtcNow();
        var person = new Person(personId, fullName, now, now, ConsentText.Version, IsAdmin: false, LastSignInAt: null);
        undo.Add($"directory record of person {personId}", () => directory.DeletePersonAsync(personId, CancellationToken.None));
        var stored = await directory.AddPersonAdminIfFirstAsync(person, indexed.Face!, cancellationToken).ConfigureAwait(false);
        CrashPoint.Reach("sign-up:after-person");

        logger.LogInformation("Registered person {PersonId} with face {FaceId}; admin as first person: {IsAdmin}",
            personId, indexed.Face!.FaceId, stored.IsAdmin);
        return new RegistrationResult(RegistrationStatus.Registered, RegistrationService.RegisteredMessage, stored, indexed.Face);
    }
}
