namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// Open-set 1:N identification, as a login search sees it: some people are enrolled (gallery), some probes belong to
/// them (mated searches) and some to strangers (non-mated searches). Uses NIST's FRVT terms at rank 1:
/// FNIR = mated searches whose enrolled mate is not the top candidate at or above the threshold;
/// FPIR = non-mated searches that return any candidate at or above the threshold.
/// </summary>
public static class OpenSetIdentification
{
    /// <param name="Embedding">L2-normalised.</param>
    public sealed record Sample(string Identity, float[] Embedding);

    public sealed record Result(
        int GalleryIdentities,
        int MatedSearches,
        int NonMatedSearches,
        double Rank1,
        double Fpir,
        double Fnir,
        float Threshold);

    /// <summary>
    /// Holds a tenth of the identities out of the gallery: every identity whose rank in ordinal name order is
    /// ≡ 9 (mod 10), so the split is deterministic and spread over the alphabet. All images of a held-out identity
    /// become non-mated probes; the gallery image of every other identity is enrolled, its probes are mated.
    /// </summary>
    public static (List<Sample> Gallery, List<Sample> Mated, List<Sample> NonMated) Split(
        IEnumerable<(Sample Sample, bool IsGallery)> images,
        int holdOutEvery = 10)
    {
        var all = images.ToList();
        var heldOut = all.Select(i => i.Sample.Identity).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where((_, rank) => rank % holdOutEvery == holdOutEvery - 1)
            .ToHashSet(StringComparer.Ordinal);
        var gallery = all.Where(i => i.IsGallery && !heldOut.Contains(i.Sample.Identity)).Select(i => i.Sample).ToList();
        var enrolled = gallery.Select(g => g.Identity).ToHashSet(StringComparer.Ordinal);
        var mated = all.Where(i => !i.IsGallery && enrolled.Contains(i.Sample.Identity)).Select(i => i.Sample).ToList();
        var nonMated = all.Where(i => heldOut.Contains(i.Sample.Identity)).Select(i => i.Sample).ToList();
        return (gallery, mated, nonMated);
    }

    public static Result Evaluate(IReadOnlyList<Sample> gallery, IReadOnlyList<Sample> mated, IReadOnlyList<Sample> nonMated, float threshold)
    {
        var rank1Hits = 0;
        var falseNegatives = 0;
        foreach (var probe in mated)
        {
            var (top, score) = TopCandidate(gallery, probe.Embedding);
            var correct = string.Equals(top.Identity, probe.Identity, StringComparison.Ordinal);
            if (correct)
            {
                rank1Hits++;
            }

            if (!correct || score < threshold)
            {
                falseNegatives++;
            }
        }

        var falsePositives = nonMated.Count(probe => TopCandidate(gallery, probe.Embedding).Score >= threshold);
        return new Result(
            gallery.Count,
            mated.Count,
            nonMated.Count,
            mated.Count == 0 ? 0 : (double)rank1Hits / mated.Count,
            nonMated.Count == 0 ? 0 : (double)falsePositives / nonMated.Count,
            mated.Count == 0 ? 0 : (double)falseNegatives / mated.Count,
            threshold);
    }

    private static (Sample Top, float Score) TopCandidate(IReadOnlyList<Sample> gallery, float[] probe)
    {
        var best = gallery[0];
        var bestScore = float.NegativeInfinity;
        foreach (var candidate in gallery)
        {
            var score = System.Numerics.Tensors.TensorPrimitives.Dot(candidate.Embedding, probe);
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return (best, bestScore);
    }
}
