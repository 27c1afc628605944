using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>The <c>FaceLogin:Liveness:Challenge</c> section.</summary>
public sealed class HeadMovementChallengeOptions
{
    public const string SectionName = "FaceLogin:Liveness:Challenge";

    /// <summary>
    /// How long a challenge can be answered after it is issued. A minute is enough for a cooperative person to read the
    /// first step and turn; short enough that a challenge cannot be carried off to prepare an answer at leisure.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// For tests only: every challenge asks for these steps, so that a recorded clip can answer it (issue 10 allows it).
    /// Empty (the default) draws them at random; a deployment must never set it, and the app logs a warning when it is set.
    /// </summary>
    public List<HeadMovement> FixedSteps { get; set; } = [];
}
