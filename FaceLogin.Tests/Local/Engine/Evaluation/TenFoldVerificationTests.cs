using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Tests.Local.Engine.Evaluation;

public sealed class TenFoldVerificationTests
{
    [Fact]
    public void Separable_pairs_score_full_accuracy_with_a_threshold_between_the_classes()
    {
        var same = Enumerable.Range(0, 100).Select(i => i % 2 == 0).ToArray();
        var scores = same.Select((s, i) => s ? 0.6f + i * 0.001f : 0.3f - i * 0.001f).ToArray();

        var result = TenFoldVerification.Evaluate(scores, same);

        Assert.Equal(1, result.Accuracy);
        Assert.Equal(0, result.AccuracyStd);
        Assert.All(result.FoldThresholds, t => Assert.InRange(t, 0.3f, 0.6f));
    }

    [Fact]
    public void Each_fold_is_judged_with_a_threshold_learnt_on_the_others()
    {
        // The last fold is shifted: its genuine pairs score like everyone else's impostors. A threshold learnt
        // on the other nine folds (between 0.4 and 0.6) rejects its genuine pairs and accepts nothing else.
        var same = Enumerable.Range(0, 100).Select(i => i % 2 == 0).ToArray();
        var scores = same.Select((s, i) => i >= 90 ? (s ? 0.35f : 0.1f) : s ? 0.6f : 0.4f).ToArray();

        var result = TenFoldVerification.Evaluate(scores, same);

        Assert.Equal(0.5, result.FoldAccuracies[9]);
        Assert.All(result.FoldAccuracies.Take(9), a => Assert.Equal(1, a));
        Assert.Equal(0.95, result.Accuracy, 9);
        Assert.Equal(0.15, result.AccuracyStd, 9);
    }

    [Fact]
    public void The_best_threshold_sits_in_the_middle_of_the_widest_best_gap()
    {
        float[] scores = [0.1f, 0.2f, 0.5f, 0.6f];
        bool[] same = [false, false, true, true];

        Assert.Equal(0.35f, TenFoldVerification.BestThreshold(scores, same), 5);
    }

    [Fact]
    public void Folds_cover_every_pair_once_in_file_order()
    {
        var ranges = Enumerable.Range(0, 10).Select(f => TenFoldVerification.FoldRange(2000, 10, f)).ToList();

        Assert.Equal((0, 200), ranges[0]);
        Assert.Equal((1800, 2000), ranges[9]);
        Assert.Equal(2000, ranges.Sum(r => r.End - r.Start));
    }
}
