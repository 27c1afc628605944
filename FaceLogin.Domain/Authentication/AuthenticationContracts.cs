using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Authentication;

/// <param name="ClientAddress">The caller's IP address, recorded with the attempt and used for lock-out.</param>
/// <param name="KnownDevicePersonId">
/// The person a valid known-device cookie names (a device that person signed in on before), or null. Only at a delayed address
/// does it change anything: the attempt is then a 1:1 verification against that person instead of a refusal.
/// </param>
public sealed record AuthenticationRequest(ReadOnlyMemory<byte> Image, string ClientAddress, Guid? KnownDevicePersonId = null)
{
    /// <summary>
    /// The burst answering the page's head-movement challenge, required when the sign-in door's liveness mode is
    /// <see cref="LivenessMode.Active"/> or <see cref="LivenessMode.Both"/>. With a burst, <see cref="Image"/> is not used: the
    /// burst's frontal frame is the photo searched.
    /// </summary>
    public LivenessBurst? Burst { get; init; }
}

/// <param name="Person">Who signed in, when <see cref="Outcome"/> is <see cref="LoginOutcome.SignedIn"/>.</param>
/// <param name="Message">What to tell the person; never names anybody for a failed attempt.</param>
public sealed record AuthenticationResult(LoginOutcome Outcome, string Message, Person? Person = null, float? Similarity = null)
{
    public bool Succeeded => Outcome == LoginOutcome.SignedIn;

    /// <summary>For <see cref="LoginOutcome.LockedOut"/>: how long the address must wait (a Retry-After header); otherwise null.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
