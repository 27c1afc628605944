using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Registration;

/// <param name="ConsentGiven">The person ticked the consent box whose text has version <see cref="ConsentText.Version"/>.</param>
/// <param name="ClientAddress">
/// The address the sign-up came from, when it came from a client that could be probing (the sign-up page). With it, the
/// sign-up shares sign-in's address throttle: a delayed address is refused before the duplicate search, the attempt is recorded,
/// and a sign-up that reached the duplicate search counts as a miss. Null for trusted callers (import).
/// </param>
public sealed record RegistrationRequest(string FullName, bool ConsentGiven, ReadOnlyMemory<byte> Image, string? ClientAddress = null)
{
    /// <summary>
    /// The burst answering the page's head-movement challenge, required when the sign-up door's liveness mode is
    /// <see cref="LivenessMode.Active"/> or <see cref="LivenessMode.Both"/>; its frontal frame is the photo registered, and
    /// <see cref="Image"/> is not used.
    /// </summary>
    public LivenessBurst? Burst { get; init; }
}

public enum RegistrationStatus
{
    Registered,
    InvalidName,
    ConsentMissing,
    BadImage,
    NoFace,
    MultipleFaces,
    PoorQuality,
    AlreadyRegistered,
    /// <summary>A storage step failed; everything done before it was undone.</summary>
    Failed,
    /// <summary>The stored image is indexed already (bulk import, the S3-upload function): nothing was changed.</summary>
    AlreadyImported,
    /// <summary>There is no image under the key given to <see cref="RegistrationService.RegisterStoredImageAsync(FaceImageKey, CancellationToken)"/>.</summary>
    ImageNotFound,
    /// <summary>
    /// A stored image for a person who signed up themselves: imports and uploads only create people or add faces to imported
    /// people, since write access to the image store must not let anybody add their face to somebody else's account.
    /// </summary>
    PersonNotImportable,
    /// <summary>The stored image's metadata names another person id than its key.</summary>
    MetadataMismatch,
    /// <summary>
    /// Too many face questions that signed nobody in (sign-ins not recognised, sign-ups) from the request's client address, so it
    /// is delayed (<see cref="Authentication.AddressThrottle"/>): refused before the duplicate search, as sign-in is; the message
    /// and <see cref="RegistrationResult.RetryAfter"/> say how long to wait.
    /// </summary>
    LockedOut,
    /// <summary>The storage is full (<see cref="StorageFull"/>): nothing was stored; the same request succeeds once space is freed.</summary>
    StorageFull,
    /// <summary>
    /// Not taken for a live person (the head-movement challenge not followed, or a photo or screen): counted like a sign-in
    /// that matched nobody (<see cref="LoginOutcome.NotLive"/>).
    /// </summary>
    NotLive,
}

/// <param name="Message">What to tell the person, in plain words; never names anybody else.</param>
/// <param name="Reasons">Quality reasons when <see cref="Status"/> is <see cref="RegistrationStatus.PoorQuality"/> or <see cref="RegistrationStatus.MultipleFaces"/>.</param>
public sealed record RegistrationResult(
    RegistrationStatus Status,
    string Message,
    Person? Person = null,
    RegisteredFace? Face = null,
    ImageProblem? ImageProblem = null,
    IReadOnlyList<UnindexedReason>? Reasons = null)
{
    public bool Succeeded => Status == RegistrationStatus.Registered;

    /// <summary>For <see cref="RegistrationStatus.LockedOut"/>: how long the address must wait; otherwise null.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The consent a person gives at sign-up; its version is recorded with the person.</summary>
public static class ConsentText
{
    public const string Version = "2026-11-27";

    public const string Text =
        "I agree that FaceLogin stores the photo I take now and a numeric template of my face computed from it, " +
        "to recognise me when I sign in. They are used for nothing else, are not shared, and are deleted everywhere " +
        "when I delete my account or an administrator removes me.";
}
