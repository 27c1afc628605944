using FaceLogin.Domain.Ports;

namespace FaceLogin.Web.Messages;

/// <summary>What the sign-in page tells a person for each outcome. Never names anybody: a refusal says nothing about who is registered.</summary>
public static class SignInMessages
{
    public const string NoPhoto = "No photo arrived. Please allow the camera and try again.";

    public const string PhotoTooLarge = "The photo is too large. Please try again.";

    public const string TicketExpired = "Your sign-in link has expired or was already used. Please sign in with your face.";

    public static string For(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.SignedIn => "Signed in.",
        LoginOutcome.NoFace => "We couldn't see a face. Look straight at the camera, in good light, and try again.",
        LoginOutcome.MultipleFaces => "More than one face is in view. Make sure only you are in front of the camera.",
        LoginOutcome.PoorQuality => "Your face isn't clear enough. Find better light, hold still, face the camera and try again.",
        LoginOutcome.NotRecognised => "We don't recognise this face. If you haven't signed up yet, please create an account first.",
        LoginOutcome.LockedOut => "Too many failed attempts from your network. Please wait a few minutes, then try again.",
        LoginOutcome.BadImage => "The camera image could not be read. Please try again.",
        _ => "Sign-in failed. Please try again.",
    };
}
