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
}
