namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// LFW's verification protocol: the pairs, in file order, split into 10 consecutive folds; for each fold the
/// threshold that maximises accuracy on the other nine is applied to it. Reports the mean and the (population)
/// standard deviation of the ten accuracies, as the common LFW evaluation scripts do.
/// </summary>
public static class TenFoldVerification
{
    public sealed record Result(double Accuracy, double AccuracyStd, IReadOnlyList<double> FoldAccuracies, IReadOnlyList<float> FoldThresholds)
    {
        public float MeanThreshold => FoldThresholds.Average();
    }

    public static Result Evaluate(IReadOnlyList<float> scores, IReadOnlyList<bool> same, int folds = 10)
    {
        if (scores.Count != same.Count || scores.Count < folds)
        {
            throw new ArgumentException("Need one label per score and at least one pair per fold.");
        }

        var accuracies = new List<double>(folds);
        var thresholds = new List<float>(folds);
        for (var f = 0; f < folds; f++)
        {
            var (start, end) = FoldRange(scores.Count, folds, f);
            var trainIndices = Enumerable.Range(0, scores.Count).Where(i => i < start || i >= end).ToList();
            var threshold = BestThreshold(trainIndices.Select(i => scores[i]).ToList(), trainIndices.Select(i => same[i]).ToList());
            var correct = 0;
            for (var i = start; i < end; i++)
            {
                if (scores[i] >= threshold == same[i])
                {
                    correct++;
                }
            }

            accuracies.Add((double)correct / (end - start));
            thresholds.Add(threshold);
        }

        var mean = accuracies.Average();
        var std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / folds);
        return new Result(mean, std, accuracies, thresholds);
    }

    /// <summary>Fold f holds pairs [start, end): sizes differ by at most one when the count does not divide.</summary>
    internal static (int Start, int End) FoldRange(int count, int folds, int f) =>
        ((int)((long)count * f / folds), (int)((long)count * (f + 1) / folds));

    /// <summary>
    /// The threshold with the most correct decisions: every midpoint between consecutive distinct scores is tried
    /// (plus one below all and one above all); ties go to the midpoint of the best run.
    /// </summary>
    internal static float BestThreshold(IReadOnlyList<float> scores, IReadOnlyList<bool> same)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        // Threshold below everything: every pair accepted → correct = number of genuine pairs.
        var correct = same.Count(s => s);
        var best = correct;
        var bestFrom = float.NegativeInfinity;
        var bestTo = float.NegativeInfinity;
        var i = 0;
        while (i < order.Length)
        {
            var value = scores[order[i]];
            // Raise the threshold just past `value`: every pair at `value` flips to rejected.
            while (i < order.Length && scores[order[i]] == value)
            {
                correct += same[order[i]] ? -1 : 1;
                i++;
            }

            var next = i < order.Length ? scores[order[i]] : float.PositiveInfinity;
            if (correct > best)
            {
                best = correct;
                bestFrom = value;
                bestTo = next;
            }
            else if (correct == best && bestTo == value)
            {
                // Same accuracy over a longer run: extend it so the chosen threshold sits in its middle.
                bestTo = next;
            }
        }

        if (float.IsNegativeInfinity(bestFrom))
        {
            return scores.Min() - 1e-3f;
        }

        return float.IsPositiveInfinity(bestTo) ? bestFrom + 1e-3f : (bestFrom + bestTo) / 2;
    }
}
