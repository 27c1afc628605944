namespace FaceLogin.Domain.Ports;

public static class LoginOutcomeExtensions
{
    /// <summary>
    /// The outcomes <see cref="IFaceDirectory.CountFailedAttemptsAsync"/> counts: only attempts that tried a face against
    /// the collection and matched nobody. Those are what guessing with other people's photos produces; a missing face,
    /// a bad photo or poor light is a person fumbling with a camera and must not lock them out
    /// (the web's per-address request throttling limits that noise). Lock-outs do not count either, so a lock-out ends
    /// when the failures that caused it leave the window instead of being extended by every retry.
    /// Every directory implementation counts exactly these, so lock-out behaves the same in local and AWS mode.
    /// </summary>
    public static bool CountsTowardsLockOut(this LoginOutcome outcome) => outcome == LoginOutcome.NotRecognised;

    /// <summary>The outcomes for which <see cref="CountsTowardsLockOut"/> is true, for directories that filter in a query.</summary>
    public static IReadOnlyList<LoginOutcome> LockOutOutcomes { get; } =
        Enum.GetValues<LoginOutcome>().Where(o => o.CountsTowardsLockOut()).ToArray();
}
