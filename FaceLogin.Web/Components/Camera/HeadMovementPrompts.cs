using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Web.Components.Camera;

/// <summary>
/// What the pages show during a burst: "look at the camera", then each step as a big arrow with words, so that it reads
/// without colour or motion and a screen reader says it (the prompt is a live region). One source for both pages: the
/// static sign-in page and the sign-up component hand these to the camera script, which shows them on time.
/// </summary>
/// <remarks>
/// The preview is mirrored, as people expect of a camera facing them: when they turn to their own left, their face on the
/// screen moves to the screen's left. So "turn left" points left (←), and the person simply follows the arrow.
/// </remarks>
public static class HeadMovementPrompts
{
    public const string LookText = "Look at the camera";

    public static HeadMovementPrompt For(HeadMovement step) => step switch
    {
        HeadMovement.TurnLeft => new("←", "Turn your head to your left"),
        HeadMovement.TurnRight => new("→", "Turn your head to your right"),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>By the names the challenge sends (<see cref="HeadMovement"/>), plus <c>Look</c> for the look phase.</summary>
    public static IReadOnlyDictionary<string, HeadMovementPrompt> ForScript() =>
        Enum.GetValues<HeadMovement>().ToDictionary(step => step.ToString(), For)
            .Append(new("Look", new HeadMovementPrompt("", LookText)))
            .ToDictionary();
}

/// <param name="Arrow">A large arrow (hidden from screen readers, the text says it); empty for the look phase.</param>
public sealed record HeadMovementPrompt(string Arrow, string Text);
