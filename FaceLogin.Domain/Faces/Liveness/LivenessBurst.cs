namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>One frame of a burst: a small JPEG, and when the page captured it, in milliseconds after the burst began.</summary>
public sealed record LivenessFrame(ReadOnlyMemory<byte> Image, int CapturedAtMs);

/// <summary>
/// What the page sends to answer a <see cref="HeadMovementChallenge"/>: the frames it captured, in order, and when it showed
/// each step (milliseconds after the burst began, like the frames' times). Before the first step the page asks the person to
/// look at the camera: the frames of that "look" phase give the frontal face that is searched or registered.
/// </summary>
/// <remarks>
/// The times come from the page, so they are only as honest as the page: against a photo or a screen held up to the real
/// page's camera they are honest; against a client that injects frames of its own making nothing the client says is
/// (docs/liveness.md, "Limits").
/// </remarks>
/// <param name="Steps">The challenge's steps, as the server issued them (redeemed from its token, never taken from the client).</param>
/// <param name="StepShownAtMs">When the page showed each step; as many as <paramref name="Steps"/>, increasing.</param>
public sealed record LivenessBurst(IReadOnlyList<HeadMovement> Steps, IReadOnlyList<int> StepShownAtMs, IReadOnlyList<LivenessFrame> Frames)
{
    public long TotalBytes => Frames.Sum(f => (long)f.Image.Length);
}
