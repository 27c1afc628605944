using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// Turns a dataset's embeddings into the verification, identification and all-pairs figures of evaluation.json.
/// A pair with an image whose face was not found scores −1: it counts as rejected, never silently dropped.
/// </summary>
public static class DatasetEvaluator
{
    public const float MissingScore = -1f;

    public sealed record Scores(ScoreDistribution? Pairs, ScoreDistribution? AllPairs);

    public static (VerificationReport Report, ScoreDistribution Scores) Verify(
        IReadOnlyList<(string First, string Second, bool Same)> pairs,
        IReadOnlyDictionary<string, float[]> embeddings)
    {
        var scores = pairs.Select(p => PairScore(embeddings, p.First, p.Second)).ToArray();
        var missing = scores.Count(s => s == MissingScore);

        var same = pairs.Select(p => p.Same).ToArray();
        var folds = TenFoldVerification.Evaluate(scores, same);
        var distribution = new ScoreDistribution(scores.Where((_, i) => same[i]), scores.Where((_, i) => !same[i]));
        var (eer, eerThreshold) = distribution.EqualErrorRate();
        var report = new VerificationReport(
            pairs.Count,
            missing,
            folds.Accuracy,
            folds.AccuracyStd,
            eer,
            distribution.AreaUnderCurve(),
            distribution.TrueAcceptRateAtFar(1e-2),
            distribution.TrueAcceptRateAtFar(1e-3),
            folds.MeanThreshold,
            distribution.ThresholdAtFar(1e-3),
            eerThreshold,
            folds.FoldAccuracies);
        return (report, distribution);
    }

    public static float PairScore(IReadOnlyDictionary<string, float[]> embeddings, string first, string second) =>
        embeddings.TryGetValue(first, out var a) && embeddings.TryGetValue(second, out var b) ? TensorPrimitives.Dot(a, b) : MissingScore;

    public static IdentificationReport Identify(
        IReadOnlyList<(string Path, string Identity, bool IsGallery)> rows,
        IReadOnlyDictionary<string, float[]> embeddings,
        float threshold,
        string thresholdSource,
        SimilarityScale scale)
    {
        // An image without a face still takes part: as a probe it finds nothing (a miss), as a gallery image its
        // identity is not enrolled, so its probes become strangers that must not match anyone.
        var zero = new float[embeddings.Values.FirstOrDefault()?.Length ?? 1];
        var samples = rows.Select(r => (new OpenSetIdentification.Sample(r.Identity, embeddings.GetValueOrDefault(r.Path) ?? zero), r.IsGallery));
        var (gallery, mated, nonMated) = OpenSetIdentification.Split(samples);
        var result = OpenSetIdentification.Evaluate(gallery, mated, nonMated, threshold);
        return new IdentificationReport(
            result.Rank1,
            result.Fpir,
            result.Fnir,
            threshold,
            scale.ToScore(threshold),
            thresholdSource,
            result.GalleryIdentities,
            result.MatedSearches,
            result.NonMatedSearches);
    }

    /// <summary>Every pair of images: same folder = genuine, different folders = impostor.</summary>
    public static (AllPairsReport Report, ScoreDistribution Scores) AllPairs(
        IReadOnlyList<string> images,
        IReadOnlyDictionary<string, float[]> embeddings,
        SimilarityScale scale)
    {
        var identities = images.Select(FaceDataset.IdentityOf).ToArray();
        var vectors = images.Select(p => embeddings.GetValueOrDefault(p)).ToArray();
        var stored = vectors.Select(v => v is null ? null : StoredDirection(v)).ToArray();
        var genuine = new List<float>();
        var impostor = new List<float>(images.Count * (images.Count - 1) / 2);
        var (genuineStored, impostorStored) = (new List<float>(), new List<float>(impostor.Capacity));
        for (var i = 0; i < images.Count; i++)
        {
            for (var j = i + 1; j < images.Count; j++)
            {
                var same = identities[i] == identities[j];
                var (score, storedScore) = vectors[i] is { } a && vectors[j] is { } b
                    ? (TensorPrimitives.Dot(a, b), TensorPrimitives.Dot(a, stored[j]!))
                    : (MissingScore, MissingScore);
                (same ? genuine : impostor).Add(score);
                (same ? genuineStored : impostorStored).Add(storedScore);
            }
        }

        var distribution = new ScoreDistribution(genuine, impostor);
        var threshold = distribution.ThresholdAtFar(1e-4);
        var impostorSpan = CollectionsMarshal.AsSpan(impostor);
        var impostorMean = TensorPrimitives.Sum<float>(impostorSpan) / impostor.Count;
        double variance = 0;
        foreach (var s in impostor)
        {
            variance += (s - impostorMean) * (s - impostorMean);
        }

        var report = new AllPairsReport(
            genuine.Count,
            impostor.Count,
            distribution.TrueAcceptRateAtFar(1e-3),
            distribution.TrueAcceptRateAtFar(1e-4),
            threshold,
            scale.ToScore(threshold),
            distribution.EqualErrorRate().Eer,
            distribution.AreaUnderCurve(),
            impostorMean,
            Math.Sqrt(variance / impostor.Count),
            genuine.Average(),
            [.. new[] { 50f, 60f, 70f, 80f, 90f, 95f }.Select(score =>
            {
                var cosine = scale.ToCosine(score);
                var far = distribution.FalseAcceptRate(cosine);
                return new OperatingPoint(score, cosine, far, (long)Math.Round(far * impostor.Count), distribution.TrueAcceptRate(cosine));
            })],
            StoredAsInt8(vectors, stored, genuine, impostor, genuineStored, impostorStored, scale.ToCosine(SimilarityScale.DefaultMatchThreshold)));
        return (report, distribution);
    }

    /// <summary>
    /// x̂ / ‖x̂‖ for an embedding: what the local index keeps of it. The index scores Dot(c, q) / fl(‖c‖) rather than
    /// Dot(c/‖c‖, q); the two differ by float rounding (~1e-7), far below what is measured here.
    /// </summary>
    private static float[] StoredDirection(float[] embedding)
    {
        var unit = UnitVector.Normalize(embedding);
        var codes = new sbyte[Int8Quantization.PaddedLength(unit.Length)];
        Int8Quantization.QuantizeStored(unit, codes);
        return Int8Quantization.Direction(codes, unit.Length);
    }

    private static StoredAsInt8Report StoredAsInt8(
        float[]?[] vectors, float[]?[] stored, List<float> genuine, List<float> impostor, List<float> genuineStored, List<float> impostorStored, float threshold)
    {
        var maxDirectionError = vectors.Select((v, i) => v is null ? 0 : TensorPrimitives.Distance(UnitVector.Normalize(v), stored[i]!)).DefaultIfEmpty(0).Max();
        var (maxShift, sumOfSquares, pairs) = (0.0, 0.0, 0L);
        foreach (var (floats, int8s) in new[] { (genuine, genuineStored), (impostor, impostorStored) })
        {
            for (var p = 0; p < floats.Count; p++)
            {
                if (floats[p] != MissingScore)
                {
                    var shift = (double)int8s[p] - floats[p];
                    (maxShift, sumOfSquares, pairs) = (Math.Max(maxShift, Math.Abs(shift)), sumOfSquares + shift * shift, pairs + 1);
                }
            }
        }

        long Changed(List<float> floats, List<float> int8s) => floats.Where((s, p) => s >= threshold != int8s[p] >= threshold).LongCount();
        double Rate(List<float> scores) => (double)scores.Count(s => s >= threshold) / scores.Count;
        return new StoredAsInt8Report(
            maxDirectionError,
            maxShift,
            pairs == 0 ? 0 : Math.Sqrt(sumOfSquares / pairs),
            threshold,
            Rate(impostor),
            Rate(impostorStored),
            Rate(genuine),
            Rate(genuineStored),
            Changed(genuine, genuineStored),
            Changed(impostor, impostorStored),
            new ScoreDistribution(genuineStored, impostorStored).TrueAcceptRateAtFar(1e-4));
    }

    public static QualityReport Quality(IReadOnlyDictionary<string, AnalyzedFace> faces)
    {
        QualityPercentiles Of(Func<AnalyzedFace, double> measure) => Distribution(faces.Values.Select(measure));

        var measures = new Dictionary<string, QualityPercentiles>
        {
            ["confidence"] = Of(f => f.Detail.Confidence),
            ["faceSizePx"] = Of(f => f.Detail.Quality.FaceSizePx),
            ["brightness"] = Of(f => f.Detail.Quality.Brightness),
            ["sharpness"] = Of(f => f.Detail.Quality.Sharpness),
            ["absYaw"] = Of(f => Math.Abs(f.Detail.Pose.Yaw)),
            ["absPitch"] = Of(f => Math.Abs(f.Detail.Pose.Pitch)),
            ["absRoll"] = Of(f => Math.Abs(f.Detail.Pose.Roll)),
        };
        var flagged = Enum.GetValues<UnindexedReason>()
            .ToDictionary(r => r.ToRekognitionName(), r => faces.Values.Count(f => f.QualityIssues.Contains(r)));
        var withIssues = faces.Where(f => f.Value.QualityIssues.Count > 0).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        return new QualityReport(measures, flagged, withIssues.Count, withIssues);
    }

    /// <summary>What the dominant-face rule did to the pictures with several faces (see <see cref="FaceRuleReport"/>).</summary>
    public static FaceRuleReport FaceRule(Faces.DominantFaceRule rule, IReadOnlyList<SeveralFaces> pictures) => new(
        rule.MaxBackgroundWidthRatio,
        pictures.Count,
        RefusedBeforeRule: pictures.Count,
        RefusedWithRule: pictures.Count(p => p.Verdict == Faces.FaceVerdictKind.SeveralPeople),
        Distribution(pictures.Select(p => (double)p.WidestOtherFaceRatio)),
        [.. pictures.Where(p => p.Verdict == Faces.FaceVerdictKind.SeveralPeople).Select(p => p.Image).Order(StringComparer.Ordinal)]);

    private static QualityPercentiles Distribution(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new QualityPercentiles(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
            : new QualityPercentiles(sorted[0], Percentile(sorted, 0.01), Percentile(sorted, 0.05), Percentile(sorted, 0.5),
                Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1]);
    }

    public static TimingReport Timing(IReadOnlyList<double> milliseconds, int intraOpThreads, string note)
    {
        var sorted = milliseconds.Order().ToArray();
        return new TimingReport(Percentile(sorted, 0.5), Percentile(sorted, 0.95), sorted.Average(), intraOpThreads, note);
    }

    /// <summary>Nearest-rank percentile of ascending values.</summary>
    public static double Percentile(IReadOnlyList<double> ascending, double fraction)
    {
        if (ascending.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * ascending.Count);
        return ascending[Math.Clamp(rank - 1, 0, ascending.Count - 1)];
    }

    public static MachineReport Machine() => new(
        RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        CpuName(),
        DateTimeOffset.UtcNow);

    private static string CpuName()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
