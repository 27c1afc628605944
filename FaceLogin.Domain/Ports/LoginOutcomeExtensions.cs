namespace FaceLogin.Domain.Ports;

public static class LoginOutcomeExtensions
{
    /// <summary>
    /// The outcomes <see cref="IFaceDirectory.CountFailedAttemptsAsync"/> counts and lock-out is decided on: every attempt that
    /// asked the collection "is this face registered?" and got an answer, except a sign-in that succeeded. That is a sign-in
    /// that matched nobody, and a sign-up that reached the duplicate search, whichever way it answered: "already registered"
    /// says yes, and a registration says no (an account is made, but the prober has the answer). Both doors therefore share one
    /// budget of face questions per client address: whichever door it uses, an address gets at most
    /// <c>MaxFailedAttempts</c> answers per window, so neither door is a faster oracle than the other. A successful sign-in does
    /// not count: the person proved they are registered and must not lock their office out.
    /// A missing face, a bad photo or poor light is a person fumbling with a camera and must not lock them out either (the web's
    /// per-address request throttling limits that noise). Lock-outs do not count, so a lock-out ends when the attempts that
    /// caused it leave the window instead of being extended by every retry.
    /// Every directory implementation counts exactly these, so lock-out behaves the same in local and AWS mode.
    /// </summary>
    public static bool CountsTowardsLockOut(this LoginOutcome outcome) =>
        outcome is LoginOutcome.NotRecognised or LoginOutcome.SignedUp or LoginOutcome.AlreadyRegistered;

    /// <summary>The outcomes for which <see cref="CountsTowardsLockOut"/> is true, for directories that filter in a query.</summary>
    public static IReadOnlyList<LoginOutcome> LockOutOutcomes { get; } =
        Enum.GetValues<LoginOutcome>().Where(o => o.CountsTowardsLockOut()).ToArray();
}
