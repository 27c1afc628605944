using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Local.Index;

/// <summary>The <c>FaceLogin:Collection</c> configuration section: the local face collection.</summary>
public sealed class LocalCollectionOptions
{
    public const string SectionName = "FaceLogin:Collection";

    /// <summary>The collection's name; Rekognition's rules, so the same value works in both modes.</summary>
    [Required]
    [StringLength(255, MinimumLength = 1)]
    [RegularExpression(@"[a-zA-Z0-9_.\-]+")]
    public string CollectionId { get; set; } = "facelogin";

    /// <summary>The SQLite file, relative to <c>FaceLogin:DataPath</c>.</summary>
    [Required]
    public string DatabaseFileName { get; set; } = "collection.db";

    /// <summary>Which faces IndexFaces refuses; see <see cref="Index.QualityFilter"/>.</summary>
    public QualityFilter QualityFilter { get; set; } = QualityFilter.Auto;

    /// <summary>
    /// How many recent image analyses to keep (0 turns the cache off). Sign-up runs DetectFaces, SearchFacesByImage and
    /// IndexFaces on the same bytes; the cache lets the engine look at them once.
    /// </summary>
    [Range(0, 256)]
    public int AnalysisCacheSize { get; set; } = 8;

    /// <summary>How long a cached analysis (which holds an embedding) may live; short, because it is biometric data.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AnalysisCacheLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Collections at least this large are searched on all cores.</summary>
    [Range(1, int.MaxValue)]
    public int ParallelScanMinimum { get; set; } = 32_768;
}

/// <summary>
/// Like Rekognition's IndexFaces QualityFilter. <see cref="Auto"/> refuses the largest face when the analyzer reports any
/// quality issue for it (its thresholds are the engine's, calibrated and documented with it); <see cref="None"/> indexes it anyway.
/// Either way, every face but the largest is reported as EXCEEDS_MAX_FACES.
/// </summary>
public enum QualityFilter
{
    None,
    Auto,
}
