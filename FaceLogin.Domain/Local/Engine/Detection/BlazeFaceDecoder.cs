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

    /// <summary>Concatenates the four output tensors in anchor order: (stride-16 scores | rows), then (stride-32 scores | rows).</summary>
    /// <param name="outputs">The model's outputs in any order; told apart by their element counts.</param>
    public static float[] ConcatenateOutputs(IReadOnlyList<float[]> outputs, int anchorCount, int firstLayerCount)
    {
        var secondLayerCount = anchorCount - firstLayerCount;
        float[]? scores1 = null, scores2 = null, boxes1 = null, boxes2 = null;
        foreach (var output in outputs)
        {
            switch (output.Length)
            {
                case var n when n == firstLayerCount: scores1 = output; break;
                case var n when n == secondLayerCount: scores2 = output; break;
                case var n when n == firstLayerCount * (RowLength - 1): boxes1 = output; break;
                case var n when n == secondLayerCount * (RowLength - 1): boxes2 = output; break;
                default: throw new InvalidOperationException($"Unexpected BlazeFace output with {output.Length} values.");
            }
        }

        if (scores1 is null || scores2 is null || boxes1 is null || boxes2 is null)
        {
            throw new InvalidOperationException("BlazeFace must output scores and boxes for both anchor layers.");
        }

        var rows = new float[anchorCount * RowLength];
        Fill(rows, 0, scores1, boxes1, firstLayerCount);
        Fill(rows, firstLayerCount, scores2, boxes2, secondLayerCount);
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

    private static void Fill(float[] rows, int firstAnchor, float[] scores, float[] boxes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var row = (firstAnchor + i) * RowLength;
            rows[row] = scores[i];
            Array.Copy(boxes, i * (RowLength - 1), rows, row + 1, RowLength - 1);
        }
    }
}
