using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Liveness;

/// <summary>
/// The liveness judge's questions answered by the local engine: the analyser's own detection, 68 landmarks and pose (so
/// that a frame's yaw is the one every door sees), the recogniser's embedding of a face already located, and
/// <see cref="PassiveLivenessScorer"/>. A frame is decoded again for an embedding or a score: a 480-pixel JPEG decodes in
/// about a millisecond, less than keeping every frame's pixels for the few that need them.
/// </summary>
/// <param name="ownsEngine">True when the engine was loaded for liveness alone (AWS mode with Rekognition): disposed with this.</param>
public sealed class LocalLivenessFrameAnalyzer(LocalFaceEngine engine, PassiveLivenessScorer passive, SimilarityScale scale, bool ownsEngine = false)
    : ILivenessFrameAnalyzer, IDisposable
{
    public void Dispose()
    {
        if (ownsEngine)
        {
            engine.Dispose();
        }
    }

    public LivenessFrameLook Look(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        // No upside-down look (two more detector runs per frame): a burst's frames only need their faces, landmarks and yaw.
        var analysis = engine.Analyzer.Analyze(frame, static (_, _) => [], timings: null, cancellationToken, lookUpsideDown: false);
        return new LivenessFrameLook([.. analysis.Faces.Select(f => f.Detail)], analysis.Faces.Count > 0 ? analysis.Faces[0].Shape : null);
    }

    public float[] Embed(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var shape = look.Shape ?? throw new ArgumentException("The frame has no face to embed.", nameof(look));
        return engine.Recognizer.Embed(engine.Decoder.Decode(frame.Span), shape, timings: null);
    }

    public float Similarity(float[] first, float[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var cosine = 0f;
        for (var i = 0; i < first.Length; i++)
        {
            cosine += first[i] * second[i];
        }

        return scale.ToScore(cosine);
    }

    public float PassiveScore(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (look.Faces.Count == 0)
        {
            throw new ArgumentException("The frame has no face to score.", nameof(look));
        }

        var image = engine.Decoder.Decode(frame.Span);
        return passive.Score(image, look.Faces[0].Box.ToPixels(image.Width, image.Height));
    }
}
