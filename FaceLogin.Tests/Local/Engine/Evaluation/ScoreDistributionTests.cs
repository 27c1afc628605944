using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Tests.Local.Engine.Evaluation;

public sealed class ScoreDistributionTests
{
    [Fact]
    public void Rates_count_scores_at_or_above_the_threshold()
    {
        var scores = new ScoreDistribution([0.9f, 0.8f, 0.7f, 0.4f], [0.1f, 0.2f, 0.5f, 0.75f, 0.3f]);

        Assert.Equal(0.75, scores.TrueAcceptRate(0.7f));
        Assert.Equal(0.2, scores.FalseAcceptRate(0.7f));
        Assert.Equal(0.4, scores.FalseAcceptRate(0.5f));
    }

    [Fact]
    public void The_threshold_at_a_far_accepts_at_most_that_many_impostors()
    {
        var impostor = Enumerable.Range(0, 1000).Select(i => i / 1000f).ToArray();
        var scores = new ScoreDistribution([0.5f, 0.9995f, 0.9985f], impostor);

        var t3 = scores.ThresholdAtFar(1e-3); // one false accept allowed: 0.999 in, 0.998 out
        var t4 = scores.ThresholdAtFar(1e-4); // none allowed

        Assert.Equal(1e-3, scores.FalseAcceptRate(t3), 9);
        Assert.True(t3 > 0.998f && t3 <= 0.999f);
        Assert.Equal(0, scores.FalseAcceptRate(t4));
        Assert.True(t4 > 0.999f);
        Assert.Equal(2 / 3.0, scores.TrueAcceptRateAtFar(1e-3), 9);
        Assert.Equal(1 / 3.0, scores.TrueAcceptRateAtFar(1e-4), 9);
    }

    [Fact]
    public void Separable_scores_have_no_equal_error_and_full_area()
    {
        var scores = new ScoreDistribution([0.8f, 0.9f, 0.95f], [0.1f, 0.2f, 0.3f]);

        var (eer, threshold) = scores.EqualErrorRate();

        Assert.Equal(0, eer, 9);
        Assert.InRange(threshold, 0.3f, 0.8f);
        Assert.Equal(1, scores.AreaUnderCurve(), 9);
    }

    [Fact]
    public void The_equal_error_rate_is_where_false_accepts_and_rejects_cross()
    {
        // Genuine 1..10, impostor 0..9 (step 1): at threshold 5.5 FAR = 4/10, FRR = 5/10; at 5, FAR = 5/10, FRR = 4/10.
        var scores = new ScoreDistribution(Enumerable.Range(1, 10).Select(i => (float)i), Enumerable.Range(0, 10).Select(i => (float)i));

        var (eer, _) = scores.EqualErrorRate();

        Assert.InRange(eer, 0.4, 0.5);
    }

    [Fact]
    public void Area_under_the_curve_matches_counting_every_pair()
    {
        var random = new Random(3);
        var genuine = Enumerable.Range(0, 300).Select(_ => (float)Math.Round(random.NextDouble() * 0.6 + 0.4, 2)).ToArray();
        var impostor = Enumerable.Range(0, 500).Select(_ => (float)Math.Round(random.NextDouble() * 0.7, 2)).ToArray();
        double wins = 0;
        foreach (var g in genuine)
        {
            foreach (var i in impostor)
            {
                wins += g > i ? 1 : g == i ? 0.5 : 0;
            }
        }

        Assert.Equal(wins / (genuine.Length * impostor.Length), new ScoreDistribution(genuine, impostor).AreaUnderCurve(), 9);
    }
}
