namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// What <c>evaluate</c> writes to evaluation.json. The property names (camelCase in JSON) are a contract: scripts
/// outside the repository read them. Thresholds are cosines of L2-normalised embeddings; *Score fields are the same
/// thresholds on Rekognition's 0..100 similarity scale.
/// </summary>
public sealed record EvaluationReport(
    string Model,
    string Dataset,
    string FaceSelection,
    int Images,
    int DetectionFailures,
    IReadOnlyList<string> DetectionFailureImages,
    int ImagesWithSeveralFaces,
    VerificationReport? Verification,
    IdentificationReport? Identification,
    TimingReport Timing,
    AllPairsReport? AllPairs,
    QualityReport Quality,
    MachineReport Machine,
    FaceRuleReport? FaceRule = null);

/// <summary>
/// The dominant-face rule (<see cref="Faces.DominantFaceRule"/>) on the dataset's pictures with several faces: how many a
/// door refused as "more than one face" before the rule (any second face) and with it (a second face at least
/// <see cref="MaxBackgroundWidthRatio"/> of the largest's width), and how wide the second-largest face is relative to the largest.
/// </summary>
public sealed record FaceRuleReport(
    float MaxBackgroundWidthRatio,
    int ImagesWithSeveralFaces,
    int RefusedBeforeRule,
    int RefusedWithRule,
    QualityPercentiles WidestOtherFaceRatio,
    IReadOnlyList<string> RefusedImages);

/// <summary>
/// How the evaluated faces measure against the quality filter: percentiles of each measure (the low tail matters for
/// minimums, the high tail of |yaw| and |pitch| for maximums) and how many faces each reason would have refused.
/// </summary>
public sealed record QualityReport(
    IReadOnlyDictionary<string, QualityPercentiles> Measures,
    IReadOnlyDictionary<string, int> FacesFlagged,
    int FacesWithAnyIssue,
    IReadOnlyList<string> FlaggedImages);

public sealed record QualityPercentiles(double Min, double P1, double P5, double Median, double P95, double P99, double Max);

/// <param name="Threshold">Mean of the ten fold thresholds (cosine).</param>
public sealed record VerificationReport(
    int Pairs,
    int PairsWithoutFace,
    double Accuracy,
    double AccuracyStd,
    double Eer,
    double Auc,
    double TarAtFar1e2,
    double TarAtFar1e3,
    float Threshold,
    float ThresholdAtFar1e3,
    float EerThreshold,
    IReadOnlyList<double> FoldAccuracies);

/// <param name="Threshold">Cosine at which a top candidate counts as found.</param>
public sealed record IdentificationReport(
    double Rank1,
    double Fpir,
    double Fnir,
    float Threshold,
    float ThresholdScore,
    string ThresholdSource,
    int GalleryIdentities,
    int MatedSearches,
    int NonMatedSearches);

public sealed record TimingReport(double MsPerImageMedian, double MsPerImageP95, double MsPerImageMean, int IntraOpThreads, string Note);

public sealed record AllPairsReport(
    long Genuine,
    long Impostor,
    double TarAtFar1e3,
    double TarAtFar1e4,
    float ThresholdAtFar1e4,
    float ThresholdAtFar1e4Score,
    double Eer,
    double Auc,
    double ImpostorMean,
    double ImpostorStd,
    double GenuineMean,
    IReadOnlyList<OperatingPoint> AtScores,
    StoredAsInt8Report StoredAsInt8);

/// <summary>
/// All pairs scored as the local collection scores them: the second image's embedding x stored as the index stores it (int8,
/// x̂ = s·c), the first as the float32 query q, against the float32 cosine of the same pairs.
/// </summary>
/// <param name="MaxStoredDirectionError">Largest ‖x − x̂/‖x̂‖‖ over the images: the most any cosine can move.</param>
/// <param name="MaxCosineShift">Largest |cos(q, x) − cos(q, x̂)| over all pairs.</param>
/// <param name="CosineShiftStd">Root mean square of cos(q, x̂) − cos(q, x) over all pairs.</param>
/// <param name="Threshold">The default match threshold's cosine (score 80), where the decisions below are counted.</param>
/// <param name="GenuineDecisionsChanged">Genuine pairs accepted with one of the two scores and rejected with the other.</param>
/// <param name="ImpostorDecisionsChanged">Impostor pairs accepted with one of the two scores and rejected with the other.</param>
public sealed record StoredAsInt8Report(
    double MaxStoredDirectionError,
    double MaxCosineShift,
    double CosineShiftStd,
    float Threshold,
    double Far,
    double FarStoredAsInt8,
    double Tar,
    double TarStoredAsInt8,
    long GenuineDecisionsChanged,
    long ImpostorDecisionsChanged,
    double TarAtFar1e4StoredAsInt8);

/// <summary>FAR and TAR (all pairs) at a threshold on Rekognition's 0..100 scale, and the cosine it stands for.</summary>
public sealed record OperatingPoint(float Score, float Cosine, double Far, long FalseAccepts, double Tar);

public sealed record MachineReport(string Os, int ProcessorCount, string Runtime, string Cpu, DateTimeOffset When);
