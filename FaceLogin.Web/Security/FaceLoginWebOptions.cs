using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Web.Security;

/// <summary>The <c>FaceLogin:Web</c> configuration section: limits of the web front end.</summary>
public sealed class FaceLoginWebOptions
{
    public const string SectionName = "FaceLogin:Web";

    /// <summary>Face sign-in requests allowed per client address in each <see cref="LoginWindowSeconds"/> window; more get 429.</summary>
    [Range(1, 10_000)]
    public int LoginPermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int LoginWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Sign-up attempts (presses of Register that reach the face engine) allowed per client address in any
    /// <see cref="SignUpWindowSeconds"/> span (a sliding window). Generous enough for a few people signing up behind one office
    /// address who retake a photo or two; it bounds the face work of photos that never reach the search (no face, blurred). The
    /// domain's lock-out bounds the sign-ups that do reach it: they share sign-in's budget of face questions.
    /// </summary>
    [Range(1, 10_000)]
    public int SignUpPermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int SignUpWindowSeconds { get; set; } = 600;

    /// <summary>
    /// Thumbnails per client address per minute. Each is rendered from the stored photo (no cache, on purpose); an admin paging
    /// through 50-row pages needs 50 a page, so 300 leaves room for quick browsing and bounds what a script can make the CPU do.
    /// </summary>
    [Range(1, 100_000)]
    public int ThumbnailPermitLimit { get; set; } = 300;

    /// <summary>
    /// Face work per client address (<see cref="FaceWorkMeter"/>), in units of one started megapixel per image, shared by sign-in
    /// and sign-up and charged for every image, answered or refused. 40 a minute: a camera frame costs 1, so a person retrying
    /// (sign-in allows 10 a minute) never meets it; a script of 4 MP photos gets 10 a minute.
    /// </summary>
    [Range(1, 100_000)]
    public int FaceWorkUnitLimit { get; set; } = 40;

    [Range(1, 86_400)]
    public int FaceWorkWindowSeconds { get; set; } = 60;

    /// <summary>How long the one-time ticket that signs a new person in after sign-up stays valid.</summary>
    [Range(5, 600)]
    public int SignInTicketSeconds { get; set; } = 60;

    /// <summary>
    /// How long a browser stays a known device of the person who last signed in on it (<see cref="KnownDeviceCookie"/>); each
    /// sign-in on it starts the period again. At most 400 days: browsers cut longer cookie lifetimes.
    /// </summary>
    [Range(1, 400)]
    public int KnownDeviceDays { get; set; } = 90;

    /// <summary>How often an open interactive session re-checks that its person still exists and is still admin.</summary>
    [Range(1, 3_600)]
    public int RevalidationSeconds { get; set; } = 30;
}
