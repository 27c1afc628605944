using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>Keeps one detection per face out of the many overlapping anchors that fire on it.</summary>
internal static class NonMaxSuppression
{
    public static float IntersectionOverUnion(PixelRect a, PixelRect b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        var union = a.Area + b.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>Greedy: the best box wins and every box overlapping it by more than the threshold is dropped.</summary>
    public static List<FaceCandidate> Plain(IReadOnlyList<FaceCandidate> candidates, float iouThreshold, int maxFaces)
    {
        var kept = new List<FaceCandidate>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (kept.Count >= maxFaces)
            {
                break;
            }

            if (kept.TrueForAll(k => IntersectionOverUnion(k.Box, candidate.Box) <= iouThreshold))
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    /// <summary>
    /// MediaPipe's weighted variant: the best box's whole cluster (overlap above the threshold) is averaged, weighted
    /// by score, box and keypoints alike. Averaging several anchors steadies the keypoints, which the alignment needs.
    /// The score stays the best one's.
    /// </summary>
    public static List<FaceCandidate> Weighted(IReadOnlyList<FaceCandidate> candidates, float iouThreshold, int maxFaces)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<FaceCandidate>();
        while (remaining.Count > 0 && kept.Count < maxFaces)
        {
            var best = remaining[0];
            var cluster = remaining.Where(c => IntersectionOverUnion(best.Box, c.Box) > iouThreshold).ToList();
            if (cluster.Count == 0)
            {
                cluster.Add(best);
            }

            remaining.RemoveAll(cluster.Contains);
            kept.Add(Average(cluster, best.Score));
        }

        return kept;
    }

    private static FaceCandidate Average(List<FaceCandidate> cluster, float score)
    {
        double total = 0, x = 0, y = 0, right = 0, bottom = 0;
        var keypointCount = cluster[0].Keypoints.Length;
        var kx = new double[keypointCount];
        var ky = new double[keypointCount];
        foreach (var c in cluster)
        {
            total += c.Score;
            x += c.Score * c.Box.X;
            y += c.Score * c.Box.Y;
            right += c.Score * c.Box.Right;
            bottom += c.Score * c.Box.Bottom;
            for (var k = 0; k < keypointCount; k++)
            {
                kx[k] += c.Score * c.Keypoints[k].X;
                ky[k] += c.Score * c.Keypoints[k].Y;
            }
        }

        var keypoints = new FacePoint[keypointCount];
        for (var k = 0; k < keypointCount; k++)
        {
            keypoints[k] = new FacePoint((float)(kx[k] / total), (float)(ky[k] / total));
        }

        return new FaceCandidate(
            new PixelRect((float)(x / total), (float)(y / total), (float)((right - x) / total), (float)((bottom - y) / total)),
            score,
            keypoints);
    }
}
