using System.ComponentModel.DataAnnotations;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Authentication;

/// <summary>The <c>FaceLogin:Authentication</c> section.</summary>
public sealed class AuthenticationOptions
{
    public const string SectionName = "FaceLogin:Authentication";

    /// <summary>Similarity (0..100) a face needs to sign in as the person it matches best.</summary>
    [Range(1, 100)]
    public float MatchThreshold { get; set; } = FaceMatchThreshold.Default;

    /// <summary>
    /// Face questions answered to one client address within <see cref="LockOutWindow"/> that lock it out of sign-in and sign-up:
    /// sign-ins whose face matched nobody and sign-ups that reached the duplicate search (registered or already registered).
    /// A deployment where more people than this sign up from one office address within the window should raise it.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How far back those attempts count; a lock-out ends when enough of them fall out of this window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LockOutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Sign-in's thresholds of the one admission policy (<see cref="FaceAdmissionPolicy"/>), which registration applies too
    /// (at least this strictly). Lenient on size and pose on purpose: a webcam at a desk gives small, tilted, noisy faces, and
    /// a weak photo only lowers the similarity, which can refuse but never lets the wrong person in; so only faces too small
    /// or too turned to be worth searching are refused, at about the local engine's own limits (every lfw-dev face passes;
    /// the engine's pitch estimate reads plainly frontal press photos at up to about −37°, hence the generous pitch).
    /// Brightness, sharpness and confidence sit at the local engine's own quality filter (docs/accuracy.md), so a face too
    /// dark to index is too dark to sign in with, and says so instead of "not recognised". A roll past 60° is a photo
    /// sideways or upside down (lfw-dev's heads tilt by 14° at most; a turned photo reads 80–180°, tools/orientation-probe).
    /// </summary>
    public FaceQualityThresholds Quality { get; set; } = new()
    {
        MinFaceSizePx = 40,
        MaxYawDegrees = 50,
        MaxPitchDegrees = 45,
        MaxRollDegrees = 60,
        MinBrightness = 10,
        MinSharpness = 10,
        MinConfidence = 65,
    };
}
