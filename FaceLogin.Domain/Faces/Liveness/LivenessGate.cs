using FaceLogin.Domain.Faces.Cost;

namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// The one liveness step of the sign-in and sign-up doors: what the door's <see cref="LivenessMode"/> asks of what arrived
/// (a photo, or a burst answering a challenge), and which photo goes on to the face rule, the search and the registration:
/// the photo itself, or the burst's frontal frame.
/// </summary>
/// <remarks>
/// A burst is held to the door's image budget like a photo: every frame by its header before anything is decoded, and all
/// frames together by the door's byte limit, so a burst costs at most what the door allows one photo in bytes and, by the web's
/// per-address meter, what its frames' pixels cost in face work.
/// </remarks>
public sealed class LivenessGate(LivenessJudge? judge)
{
    /// <param name="image">The single photo (used when the mode asks for none or for a passive score).</param>
    /// <param name="burst">The burst (used when the mode asks for a challenge).</param>
    /// <exception cref="FaceImageRejectedException">A frame, or the burst as a whole, is over the door's budget, or not an image.</exception>
    public LivenessCheck Check(LivenessMode mode, ImageBudget budget, ReadOnlyMemory<byte> image, LivenessBurst? burst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (mode == LivenessMode.Off)
        {
            return new LivenessCheck(image, null);
        }

        var liveness = judge ?? throw new InvalidOperationException(
            "A door asks for liveness but no liveness judge is registered (the local engine's models are needed in every mode).");
        if (mode == LivenessMode.Passive)
        {
            budget.Check(image.Span);
            return new LivenessCheck(image, liveness.JudgeStill(image, cancellationToken));
        }

        if (burst is null)
        {
            return new LivenessCheck(image, new LivenessVerdict(LivenessRefusal.BurstMissing, -1, LivenessEvidence.None));
        }

        foreach (var frame in burst.Frames)
        {
            budget.Check(frame.Image.Span);
        }

        if (burst.TotalBytes > budget.MaxBytes)
        {
            throw new FaceImageRejectedException(ImageProblem.TooLarge, FaceFeedback.TooLarge(budget.MaxBytes)) { Feedback = FaceFeedback.TooLarge(budget.MaxBytes) };
        }

        var verdict = liveness.JudgeBurst(burst, scorePassive: mode == LivenessMode.Both, cancellationToken);
        return new LivenessCheck(verdict.IsLive ? burst.Frames[verdict.FrontalFrame].Image : ReadOnlyMemory<byte>.Empty, verdict);
    }
}

/// <param name="Photo">What the door goes on with: the photo, or the burst's frontal frame; empty when refused.</param>
/// <param name="Verdict">Null when the door asks for no liveness.</param>
public sealed record LivenessCheck(ReadOnlyMemory<byte> Photo, LivenessVerdict? Verdict)
{
    public bool Passed => Verdict is null || Verdict.IsLive;

    /// <summary>Refused in a way that answers like a face question that found nobody (counted by the address throttle).</summary>
    public bool CountsAsAttempt => Verdict is { IsLive: false, CountsAsAttempt: true };
}
