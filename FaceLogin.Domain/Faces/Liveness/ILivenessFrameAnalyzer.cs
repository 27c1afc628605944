namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// What the liveness judge asks of a face engine about one frame. Implemented by the local engine in every mode: in AWS mode
/// too the burst is judged on this machine before Rekognition is asked anything (docs/aws.md).
/// </summary>
public interface ILivenessFrameAnalyzer
{
    /// <summary>
    /// Decode, detect, and the largest face's 68 landmarks and pose; no embedding, no passive score, so that every frame of a
    /// burst can afford it. Throws <see cref="FaceImageRejectedException"/> for a frame that is not a usable image.
    /// </summary>
    LivenessFrameLook Look(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>The L2-normalised embedding of the largest face of a frame already looked at.</summary>
    float[] Embed(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken);

    /// <summary>Two embeddings' similarity on the collection's 0..100 scale (the recogniser's calibration).</summary>
    float Similarity(float[] first, float[] second);

    /// <summary>The passive score (0..1, low = print or screen) of the largest face of a frame already looked at.</summary>
    float PassiveScore(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken);
}

/// <param name="Faces">Every face, largest first, with pose and quality.</param>
/// <param name="Shape">The largest face's 68 landmarks in pixels; null without a face.</param>
public sealed record LivenessFrameLook(IReadOnlyList<FaceDetail> Faces, FaceShape? Shape);
