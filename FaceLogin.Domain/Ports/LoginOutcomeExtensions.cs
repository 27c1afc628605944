namespace FaceLogin.Domain.Ports;

public static class LoginOutcomeExtensions
{
    /// <summary>
    /// The outcomes <see cref="IFaceDirectory.CountFailedAttemptsAsync"/> counts and the address throttle calls misses: every attempt that
    /// asked the collection "is this face registered?" and got an answer, except a sign-in that succeeded. That is a sign-in
    /// that matched nobody, and a sign-up that reached the duplicate search, whichever way it answered: "already registered"
    /// says yes, and a registration says no (an account is made, but the prober has the answer). Both doors therefore share one
    /// budget of face questions per client address: whichever door it uses, an address gets at most
    /// the same number of answers (<see cref="Authentication.AddressThrottle"/>), so neither door is a faster oracle than the other. A successful sign-in does
    /// not count: the person proved they are registered and must not delay their office.
    /// A missing face, a bad photo or poor light is a person fumbling with a camera and must not delay them either (the web's
    /// per-address request throttling limits that noise). Refusals by the throttle do not count: only questions answered extend a delay.
    /// A match with a suspended person signs nobody in but answers the question, so it counts too. A burst refused as not live
    /// (<see cref="LoginOutcome.NotLive"/>) counts like a miss: presenting a photo must cost what guessing a face costs.
    /// Every directory implementation counts exactly these, so lock-out behaves the same in local and AWS mode.
    /// </summary>
    public static bool CountsTowardsLockOut(this LoginOutcome outcome) =>
        outcome is LoginOutcome.NotRecognised or LoginOutcome.SignedUp or LoginOutcome.AlreadyRegistered or LoginOutcome.Suspended
            or LoginOutcome.NotLive;

    /// <summary>The outcomes for which <see cref="CountsTowardsLockOut"/> is true, for directories that filter in a query.</summary>
    public static IReadOnlyList<LoginOutcome> LockOutOutcomes { get; } =
        Enum.GetValues<LoginOutcome>().Where(o => o.CountsTowardsLockOut()).ToArray();

    /// <summary>
    /// Whether the attempt asked the collection a face question: a miss or a sign-in. What the throttle's lane for a delayed
    /// address is spaced by (<see cref="Authentication.AddressThrottle"/>).
    /// </summary>
    public static bool AskedFaceQuestion(this LoginOutcome outcome) => outcome == LoginOutcome.SignedIn || outcome.CountsTowardsLockOut();

    /// <summary>The outcomes for which <see cref="AskedFaceQuestion"/> is true.</summary>
    public static IReadOnlyList<LoginOutcome> FaceQuestionOutcomes { get; } =
        Enum.GetValues<LoginOutcome>().Where(o => o.AskedFaceQuestion()).ToArray();
}
