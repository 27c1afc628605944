namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// Genuine (same person) and impostor (different people) similarity scores, sorted, answering the questions a
/// verification report asks. A pair is accepted when its score is at least the threshold.
/// </summary>
public sealed class ScoreDistribution
{
    private readonly float[] _genuine;
    private readonly float[] _impostor;

    public ScoreDistribution(IEnumerable<float> genuine, IEnumerable<float> impostor)
    {
        _genuine = [.. genuine];
        _impostor = [.. impostor];
        if (_genuine.Length == 0 || _impostor.Length == 0)
        {
            throw new ArgumentException("Need at least one genuine and one impostor score.");
        }

        Array.Sort(_genuine);
        Array.Sort(_impostor);
    }

    public int GenuineCount => _genuine.Length;

    public int ImpostorCount => _impostor.Length;

    /// <summary>Ascending.</summary>
    public ReadOnlySpan<float> Genuine => _genuine;

    /// <summary>Ascending.</summary>
    public ReadOnlySpan<float> Impostor => _impostor;

    /// <summary>Fraction of impostor pairs accepted (score ≥ threshold): the false accept / false match rate.</summary>
    public double FalseAcceptRate(float threshold) => (double)CountAtLeast(_impostor, threshold) / _impostor.Length;

    /// <summary>Fraction of genuine pairs accepted: the true accept rate, 1 − FRR.</summary>
    public double TrueAcceptRate(float threshold) => (double)CountAtLeast(_genuine, threshold) / _genuine.Length;

    /// <summary>
    /// The lowest threshold whose FAR is at most <paramref name="far"/>: it rejects the impostor scores from the
    /// ⌊far·N⌋+1-th highest down. With ⌊far·N⌋ = 0 no impostor is accepted.
    /// </summary>
    public float ThresholdAtFar(double far)
    {
        var allowed = (int)Math.Floor(far * _impostor.Length + 1e-9);
        if (allowed >= _impostor.Length)
        {
            return _impostor[0];
        }

        // The (allowed+1)-th highest impostor score must be rejected: accept only strictly above it.
        var mustReject = _impostor[_impostor.Length - 1 - allowed];
        return MathF.BitIncrement(mustReject);
    }

    public double TrueAcceptRateAtFar(double far) => TrueAcceptRate(ThresholdAtFar(far));

    /// <summary>
    /// Equal error rate: where FAR and FRR cross, found by scanning every score as a threshold and interpolating
    /// linearly between the two thresholds either side of the crossing.
    /// </summary>
    public (double Eer, float Threshold) EqualErrorRate()
    {
        var thresholds = _genuine.Concat(_impostor).Distinct().Order().ToArray();
        double previousFar = 1, previousFrr = 0;
        var previousThreshold = float.NegativeInfinity;
        foreach (var t in thresholds)
        {
            var far = FalseAcceptRate(t);
            var frr = 1 - TrueAcceptRate(t);
            if (frr >= far)
            {
                // Crossing between previous and this threshold: FAR falls, FRR rises.
                var before = previousFar - previousFrr;
                var after = far - frr;
                var w = before == after ? 0 : before / (before - after);
                var eer = previousFar + w * (far - previousFar);
                var threshold = float.IsNegativeInfinity(previousThreshold) ? t : (float)(previousThreshold + w * (t - previousThreshold));
                return (eer, threshold);
            }

            previousFar = far;
            previousFrr = frr;
            previousThreshold = t;
        }

        return (previousFar, previousThreshold);
    }

    /// <summary>Area under the ROC curve = P(genuine score &gt; impostor score) + ½·P(equal) (Mann–Whitney).</summary>
    public double AreaUnderCurve()
    {
        double wins = 0;
        var j = 0;
        var k = 0;
        foreach (var g in _genuine)
        {
            // Impostors strictly below g: j; at or below: k.
            while (j < _impostor.Length && _impostor[j] < g)
            {
                j++;
            }

            if (k < j)
            {
                k = j;
            }

            while (k < _impostor.Length && _impostor[k] <= g)
            {
                k++;
            }

            wins += j + 0.5 * (k - j);
        }

        return wins / ((double)_genuine.Length * _impostor.Length);
    }

    /// <summary>(FAR, TAR, threshold) at every distinct impostor score from the top down to <paramref name="minFar"/>, for plotting.</summary>
    public IReadOnlyList<(double Far, double Tar, float Threshold)> RocPoints(double minFar, int maxPoints = 400)
    {
        var points = new List<(double, double, float)>();
        var logMin = Math.Log10(Math.Max(minFar, 1.0 / _impostor.Length));
        for (var i = 0; i < maxPoints; i++)
        {
            var far = Math.Pow(10, logMin * (1 - (double)i / (maxPoints - 1)));
            var t = ThresholdAtFar(far);
            points.Add((FalseAcceptRate(t), TrueAcceptRate(t), t));
        }

        return points;
    }

    private static int CountAtLeast(float[] ascending, float threshold)
    {
        // First index with value ≥ threshold.
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] < threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return ascending.Length - lo;
    }
}
