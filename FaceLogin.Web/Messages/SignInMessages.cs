using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Web.Messages;

/// <summary>
/// What the sign-in page tells a person. The service words each outcome (never naming anybody); these are the page's own
/// words for what only the web sees (no photo, throttling, an expired sign-up ticket) and a message for every outcome
/// in case the service gave none.
/// </summary>
public static class SignInMessages
{
    public const string NoPhoto = "No photo arrived. Please allow the camera and try again.";

    public const string PhotoTooSlow = "The photo took too long to arrive: the connection is too slow. Please try again.";

    public const string PhotoIncomplete = "The photo did not arrive completely. Please try again.";

    public const string TicketExpired = "Your sign-in link has expired or was already used. Please sign in with your face.";

    /// <summary>The page's antiforgery token was missing or stale (the page was open across a restart with new keys, say).</summary>
    public const string PageExpired = "This page has expired. Please reload it and try again.";

    /// <summary>
    /// The burst came without a valid challenge: none, forged, from another browser, expired (a minute) or already answered.
    /// An honest person gets here by waiting too long or by a double submission; a new challenge fixes both.
    /// </summary>
    public const string ChallengeExpired = "The head-movement check has expired or was already used. Please try again.";

    public static string TooManyFrames(int maxFrames) =>
        $"Too many camera frames arrived (at most {maxFrames}). Please reload the page and try again.";

    public static string BurstTooLarge(long maxBytes) =>
        $"The camera frames are too large together (at most {FaceLogin.Domain.Faces.Cost.ImageBudget.Describe(maxBytes)}). Please reload the page and try again.";

    /// <summary>A burst field the page always sends well-formed: only a broken or foreign client sees this.</summary>
    public static string BurstMalformed(string field) =>
        $"The camera frames arrived incomplete ('{field}' is missing or malformed). Please reload the page and try again.";

    public static string For(AuthenticationResult result) =>
        string.IsNullOrWhiteSpace(result.Message) ? Fallback(result.Outcome) : result.Message;

    public static string Fallback(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.SignedIn => "Signed in.",
        LoginOutcome.NoFace => "We couldn't see a face. Look straight at the camera, in good light, and try again.",
        LoginOutcome.MultipleFaces => "More than one face is in view. Make sure only you are in front of the camera.",
        LoginOutcome.PoorQuality => "Your face isn't clear enough. Find better light, hold still, face the camera and try again.",
        LoginOutcome.NotRecognised => "We don't recognise this face. If you haven't signed up yet, please create an account first.",
        LoginOutcome.LockedOut => "Too many failed attempts from your network. Please wait a few minutes, then try again.",
        LoginOutcome.Suspended => AuthenticationService.SuspendedMessage,
        LoginOutcome.BadImage => "The camera image could not be read. Please try again.",
        LoginOutcome.NotLive => FaceLogin.Domain.Faces.Liveness.LivenessFeedback.LiveFaceNeeded,
        // Sign-up's outcomes, in the attempt log; a sign-in never has them.
        LoginOutcome.SignedUp => "Signed up.",
        LoginOutcome.AlreadyRegistered => "This face is already registered.",
        // A known device's attempts, in the attempt log; the person is told "signed in" or "not recognised".
        LoginOutcome.SignedInOnKnownDevice => "Signed in on a known device.",
        LoginOutcome.KnownDeviceNotRecognised => "This face is not the known device's person.",
        _ => "Sign-in failed. Please try again.",
    };
}
