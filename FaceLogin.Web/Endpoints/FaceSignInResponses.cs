namespace FaceLogin.Web.Endpoints;

/// <summary>The sign-in endpoint's answer when the face matched: where the page should go next (a local path).</summary>
public sealed record FaceSignInSucceeded(string Redirect);

/// <summary>
/// The sign-in endpoint's answer when it did not sign anybody in.
/// <see cref="Status"/> is a stable code for scripts (the <c>LoginOutcome</c> name, or <c>Throttled</c>/<c>BadRequest</c>);
/// <see cref="Message"/> is what to show the person.
/// </summary>
public sealed record FaceSignInRefused(string Status, string Message)
{
    public static FaceSignInRefused Throttled { get; } = new(
        "Throttled",
        "Too many sign-in attempts from your network. Please wait a minute, then try again.");

    /// <summary>
    /// A burst whose challenge token is missing, forged, another browser's, expired or already used (401): nothing was looked at
    /// and nothing counted; the page asks for a new challenge.
    /// </summary>
    public static FaceSignInRefused ChallengeExpired { get; } = new("ChallengeExpired", Messages.SignInMessages.ChallengeExpired);

    /// <summary>The face-work queue had no place within its wait (503 with Retry-After); nothing was done with the photo.</summary>
    public static FaceSignInRefused Busy { get; } = new("Busy", FaceLogin.Domain.Faces.Cost.FaceWorkBusyException.UserMessage);

    /// <summary>The client address spent its face-work budget (429 with Retry-After; <see cref="Security.FaceWorkMeter"/>).</summary>
    public static FaceSignInRefused WorkLimit { get; } = new("WorkLimit", Security.FaceWorkMeter.Message);

    /// <summary>
    /// The request body was over the sign-in endpoint's cap (413): told in the same words, with the same number, as a photo over
    /// the sign-in door's byte limit, since that is the only limit a person can act on.
    /// </summary>
    public static FaceSignInRefused TooLarge(long signInMaxBytes) => new("TooLarge", FaceLogin.Domain.Faces.FaceFeedback.TooLarge(signInMaxBytes));

    /// <summary>The storage is full, so the attempt could not be recorded and nobody was signed in (503).</summary>
    public static FaceSignInRefused StorageFull { get; } = new("StorageFull", Domain.Ports.StorageFull.Message);

    /// <summary>The body arrived slower than the server's minimum data rate and was given up on (408).</summary>
    public static FaceSignInRefused BodyTooSlow { get; } = new("TooSlow", Messages.SignInMessages.PhotoTooSlow);

    /// <summary>The body ended before its declared length or was malformed at the transport level (400).</summary>
    public static FaceSignInRefused BodyIncomplete { get; } = new("BadRequest", Messages.SignInMessages.PhotoIncomplete);
}
