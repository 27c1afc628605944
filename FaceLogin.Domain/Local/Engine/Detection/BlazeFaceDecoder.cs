using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>
/// Turns BlazeFace's raw rows into candidates. A row is <c>[logit, dx, dy, w, h, k0x, k0y, … k5x, k5y]</c> in input
/// pixels: the box centre and every keypoint are offsets from the row's anchor, the size is absolute.
/// Keypoints come as the person's right eye, left eye, nose, mouth, right ear, left ear: the person's right eye is on
/// the image's left, which is how <see cref="FaceKeypoints"/> names them.
/// </summary>
internal static class BlazeFaceDecoder
{
    public const int RowLength = 17;
    public const int KeypointCount = 6;

    /// <summary>
    /// Interleaves the converted model's two outputs (docs/engine.md), <c>logits [1,N,1]</c> and <c>boxes [1,N,16]</c>,
    /// both already in anchor order, into rows of 17.
    /// </summary>
    /// <param name="outputs">The model's outputs in any order; told apart by their element counts.</param>
    public static float[] ToRows(IReadOnlyList<float[]> outputs, int anchorCount)
    {
        var logits = outputs.SingleOrDefault(o => o.Length == anchorCount)
            ?? throw new InvalidOperationException($"BlazeFace must output {anchorCount} logits.");
        var boxes = outputs.SingleOrDefault(o => o.Length == anchorCount * (RowLength - 1))
            ?? throw new InvalidOperationException($"BlazeFace must output {anchorCount}×{RowLength - 1} box values.");
        var rows = new float[anchorCount * RowLength];
        for (var i = 0; i < anchorCount; i++)
        {
            rows[i * RowLength] = logits[i];
            Array.Copy(boxes, i * (RowLength - 1), rows, i * RowLength + 1, RowLength - 1);
        }

        return rows;
    }

    public static List<FaceCandidate> Decode(ReadOnlySpan<float> rows, ReadOnlySpan<FacePoint> anchors, float scoreThreshold)
    {
        // sigmoid(logit) > t  ⇔  logit > ln(t / (1 − t)): skips the exp for the hundreds of empty anchors.
        var logitThreshold = MathF.Log(scoreThreshold / (1 - scoreThreshold));
        var candidates = new List<FaceCandidate>();
        for (var i = 0; i < anchors.Length; i++)
        {
            var row = rows.Slice(i * RowLength, RowLength);
            if (row[0] <= logitThreshold)
            {
                continue;
            }

            var anchor = anchors[i];
            var cx = anchor.X + row[1];
            var cy = anchor.Y + row[2];
            float w = row[3], h = row[4];
            var keypoints = new FacePoint[KeypointCount];
            for (var k = 0; k < KeypointCount; k++)
            {
                keypoints[k] = new FacePoint(anchor.X + row[5 + 2 * k], anchor.Y + row[6 + 2 * k]);
            }

            candidates.Add(new FaceCandidate(new PixelRect(cx - w / 2, cy - h / 2, w, h), Sigmoid(row[0]), keypoints));
        }

        return candidates;
    }

    internal static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-Math.Clamp(x, -80f, 80f)));
}
