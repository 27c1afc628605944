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
    /// Misses (face questions that signed nobody in: sign-ins that matched nobody, sign-ups that reached the duplicate search)
    /// one client address gets at once before it is delayed (<see cref="AddressThrottle"/>). Both doors share them.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a miss counts towards an address's delay; an address quiet this long is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LockOutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The delay after the <see cref="MaxFailedAttempts"/>th miss; it doubles with each further miss (NIST SP 800-63B: ≥ 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay, however many misses.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// While an address is delayed it still gets one face question per this interval, so a person whose address others' misses
    /// delay signs in after at most this wait; the bound on an attacker's questions per address is this rate.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DelayedSearchInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a request can live: an attempt started longer ago and never recorded (a crash) is dead and counts no more, and
    /// start-up expires it (<see cref="Ports.IFaceDirectory.ExpireLoginAttemptsInProgressAsync"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan MaxRequestAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A failed sign-in whose best candidate scored within this many points below <see cref="MatchThreshold"/> is a near-match
    /// and counts against that person. 10 (scores 70–80): on lfw-dev a stranger scores ≥ 70 against a given person at FAR 5e-4
    /// and ≥ 80 at 1e-4 (docs/accuracy.md), so random strangers almost never count against anybody, while a look-alike or a
    /// poor photo of the person, which lands just below the threshold, does.
    /// </summary>
    [Range(0, 100)]
    public float NearMatchMargin { get; set; } = 10;

    /// <summary>
    /// Near-matches in a row, without a successful sign-in between, after which the person's face sign-in is suspended until an
    /// admin re-enables it (NIST SP 800-63B: at most 100 consecutive failures per account; 50 here).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFailedNearMatches { get; set; } = 50;

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
