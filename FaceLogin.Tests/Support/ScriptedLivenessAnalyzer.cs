using System.Security.Cryptography;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Tests.Domain.Faces.Liveness;

namespace FaceLogin.Tests.Support;

/// <summary>What a scripted frame shows the liveness judge.</summary>
/// <param name="Yaw">The head's yaw as the engine would see it (positive: the person's left).</param>
/// <param name="Flat">A flat picture of the head rather than the head: its landmarks move by one homography.</param>
/// <param name="Person">Whose face: frames of one person embed alike, others far apart.</param>
/// <param name="TurnedBy">How far the head or picture really turned, when the engine reads another yaw (a flat picture turned far).</param>
public sealed record ScriptedFrame(float Yaw, bool Flat = false, int Person = 1, float Passive = 0.95f, int Faces = 1, float? TurnedBy = null);

/// <summary>
/// TEST DOUBLE of <see cref="ILivenessFrameAnalyzer"/>: answers for each frame (known by its bytes) what its script says,
/// with the 68 landmarks of the synthetic head of <see cref="PlanarMotionCheckTests"/> (or of a flat picture of it) at the
/// scripted yaw. The real analyzer is tested on real frames (LivenessJudgeOnRealFramesTests).
/// </summary>
public sealed class ScriptedLivenessAnalyzer : ILivenessFrameAnalyzer
{
    private readonly Dictionary<string, ScriptedFrame> _scripts = new(StringComparer.Ordinal);

    public int Looks { get; private set; }

    /// <summary>Scripts the frame with these bytes; returns the bytes.</summary>
    public byte[] Script(byte[] frame, ScriptedFrame script)
    {
        _scripts[Key(frame)] = script;
        return frame;
    }

    public LivenessFrameLook Look(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        lock (_scripts)
        {
            Looks++;
        }

        var scripted = ScriptOf(frame);
        if (scripted.Faces == 0)
        {
            return new LivenessFrameLook([], null);
        }

        var face = new FaceDetail(new BoundingBox(0.3f, 0.2f, 0.4f, 0.5f), 99, new FacePose(scripted.Yaw, 0, 0), new FaceQuality(60, 60, 200), default);
        var second = face with { Box = new BoundingBox(0.0f, 0.2f, 0.35f, 0.45f) };
        var shape = PlanarMotionCheckTests.Shape(PlanarMotionCheckTests.AverageHead(scripted.Flat), scripted.TurnedBy ?? scripted.Yaw, 0, new Random(Key(frame.ToArray()).GetHashCode(StringComparison.Ordinal)));
        return new LivenessFrameLook(scripted.Faces == 1 ? [face] : [face, second], shape);
    }

    public float[] Embed(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken) =>
        ScriptOf(frame).Person == 1 ? [1f, 0f] : [0f, 1f];

    public float Similarity(float[] first, float[] second) => 100f * ((first[0] * second[0]) + (first[1] * second[1]));

    public float PassiveScore(ReadOnlyMemory<byte> frame, LivenessFrameLook look, CancellationToken cancellationToken) => ScriptOf(frame).Passive;

    private ScriptedFrame ScriptOf(ReadOnlyMemory<byte> frame) =>
        _scripts.TryGetValue(Key(frame.ToArray()), out var script) ? script : throw new InvalidOperationException("A frame nobody scripted.");

    private static string Key(byte[] frame) => Convert.ToHexString(SHA256.HashData(frame));
}
