using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;

namespace FaceLogin.Web.Messages;

/// <summary>
/// What the sign-up page shows for a registration result. The service words each problem (the same words as at sign-in,
/// see <see cref="FaceFeedback"/>); this adds a message of its own for every status, used when the service gave none
/// (or when the page itself turned an unexpected error into <see cref="RegistrationStatus.Failed"/>), and how serious it is.
/// </summary>
public static class RegistrationMessages
{
    public static string For(RegistrationResult result) =>
        string.IsNullOrWhiteSpace(result.Message) ? Fallback(result.Status) : result.Message;

    public static string Fallback(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Registered => "You're registered. Signing you in…",
        RegistrationStatus.InvalidName => "Please enter your full name: 1 to 100 characters, without special control characters.",
        RegistrationStatus.ConsentMissing => "Please tick the consent box. We can't store your face without your agreement.",
        RegistrationStatus.BadImage => "The photo could not be read. Please retake it.",
        RegistrationStatus.NoFace => "We couldn't find a face in the photo. Face the camera, in good light, and retake it.",
        RegistrationStatus.MultipleFaces => "There is more than one face in the photo. Make sure only you are in view and retake it.",
        RegistrationStatus.PoorQuality => "Your face isn't clear enough in the photo. Please retake it in good light, facing the camera.",
        RegistrationStatus.AlreadyRegistered => "This face is already registered. Please sign in instead.",
        RegistrationStatus.Failed => "Something went wrong while saving. Nothing was stored; please try again in a moment.",
        RegistrationStatus.AlreadyImported => "This photo is registered already; nothing was changed.",
        RegistrationStatus.ImageNotFound => "The photo was not found. Please take it again.",
        // Only imports and uploads meet these two; the sign-up page never does.
        RegistrationStatus.PersonNotImportable => "Photos can't be added to an account its owner created; only imported people can get more photos this way.",
        RegistrationStatus.MetadataMismatch => "The photo's details name somebody else than where it was stored, so it was not used.",
        RegistrationStatus.LockedOut => "Too many failed attempts from your network. Please wait a few minutes, then try again.",
        RegistrationStatus.StorageFull => StorageFull.Message,
        _ => "Registration failed. Please try again.",
    };

    /// <summary>Registered is good news, AlreadyRegistered points elsewhere, a storage failure is ours; everything else the person can fix.</summary>
    public static RegistrationMessageKind KindOf(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Registered => RegistrationMessageKind.Success,
        RegistrationStatus.AlreadyRegistered or RegistrationStatus.AlreadyImported => RegistrationMessageKind.Info,
        RegistrationStatus.Failed or RegistrationStatus.LockedOut or RegistrationStatus.StorageFull => RegistrationMessageKind.Error,
        _ => RegistrationMessageKind.Warning,
    };
}
