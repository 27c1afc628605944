namespace FaceLogin.Domain.Ports;

public static class LoginOutcomeExtensions
{
    /// <summary>
    /// The outcomes <see cref="IFaceDirectory.CountFailedAttemptsAsync"/> counts: attempts that tried a face against
    /// the collection and matched nobody (sign-in), or matched somebody (sign-up). Those are what guessing with other people's photos produces; a missing face,
    /// a bad photo or poor light is a person fumbling with a camera and must not lock them out
    /// (the web's per-address request throttling limits that noise). Lock-outs do not count either, so a lock-out ends
    /// when the failures that caused it leave the window instead of being extended by every retry.
    /// Every directory implementation counts exactly these, so lock-out behaves the same in local and AWS mode.
    /// A sign-up refused as <see cref="LoginOutcome.AlreadyRegistered"/> counts too: it answers "would this face sign in as
    /// somebody?" just as a sign-in does, so without counting it sign-up would be a way round the lock-out.
    /// </summary>
    public static bool CountsTowardsLockOut(this LoginOutcome outcome) =>
        outcome is LoginOutcome.NotRecognised or LoginOutcome.AlreadyRegistered;

    /// <summary>The outcomes for which <see cref="CountsTowardsLockOut"/> is true, for directories that filter in a query.</summary>
    public static IReadOnlyList<LoginOutcome> LockOutOutcomes { get; } =
        Enum.GetValues<LoginOutcome>().Where(o => o.CountsTowardsLockOut()).ToArray();
}
