using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Registration;

namespace FaceLogin.Web.Messages;

/// <summary>What the sign-up page shows for a registration result: its own message for every status, and what to do about it.</summary>
public static class RegistrationMessages
{
    public static string For(RegistrationResult result) => result.Status switch
    {
        RegistrationStatus.Registered => "You're registered. Signing you in…",
        RegistrationStatus.InvalidName => "Please enter your full name: 1 to 100 characters, without special control characters.",
        RegistrationStatus.ConsentMissing => "Please tick the consent box. We can't store your face without your agreement.",
        RegistrationStatus.BadImage => result.ImageProblem switch
        {
            ImageProblem.TooLarge or ImageProblem.TooManyPixels => "The photo is too large to use. Please retake it.",
            _ => "The photo could not be read. Please retake it.",
        },
        RegistrationStatus.NoFace => "We couldn't find a face in the photo. Face the camera, in good light, and retake it.",
        RegistrationStatus.MultipleFaces => "There is more than one face in the photo. Make sure only you are in view and retake it.",
        RegistrationStatus.PoorQuality => QualityMessage(result.Reasons),
        RegistrationStatus.AlreadyRegistered => "This face is already registered. Please sign in instead.",
        RegistrationStatus.Failed => "Something went wrong while saving. Nothing was stored; please try again in a moment.",
        _ => "Registration failed. Please try again.",
    };

    /// <summary>Registered is good news, AlreadyRegistered points elsewhere, a storage failure is ours; everything else the person can fix.</summary>
    public static RegistrationMessageKind KindOf(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Registered => RegistrationMessageKind.Success,
        RegistrationStatus.AlreadyRegistered => RegistrationMessageKind.Info,
        RegistrationStatus.Failed => RegistrationMessageKind.Error,
        _ => RegistrationMessageKind.Warning,
    };

    private static string QualityMessage(IReadOnlyList<UnindexedReason>? reasons)
    {
        var advice = (reasons ?? []).Select(Advice).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return advice.Count == 0
            ? "Your face isn't clear enough in the photo. Please retake it in good light, facing the camera."
            : "Your face isn't clear enough in the photo: " + string.Join("; ", advice) + ". Please retake it.";
    }

    private static string? Advice(UnindexedReason reason) => reason switch
    {
        UnindexedReason.LowBrightness => "it is too dark",
        UnindexedReason.LowSharpness => "it is blurred (hold still)",
        UnindexedReason.ExtremePose => "your head is turned too far (look straight at the camera)",
        UnindexedReason.SmallBoundingBox => "your face is too small (come closer)",
        UnindexedReason.LowConfidence or UnindexedReason.LowFaceQuality => "your face is hard to make out",
        UnindexedReason.ExceedsMaxFaces => "another face is in view",
        _ => null,
    };
}

public enum RegistrationMessageKind { Success, Info, Warning, Error }
