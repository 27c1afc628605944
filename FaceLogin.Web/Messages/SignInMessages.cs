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
        // Sign-up's outcomes, in the attempt log; a sign-in never has them.
        LoginOutcome.SignedUp => "Signed up.",
        LoginOutcome.AlreadyRegistered => "This face is already registered.",
        // A known device's attempts, in the attempt log; the person is told "signed in" or "not recognised".
        LoginOutcome.SignedInOnKnownDevice => "Signed in on a known device.",
        LoginOutcome.KnownDeviceNotRecognised => "This face is not the known device's person.",
        _ => "Sign-in failed. Please try again.",
    };
}
