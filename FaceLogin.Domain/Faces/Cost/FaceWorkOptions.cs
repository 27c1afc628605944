using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>The <c>FaceLogin:FaceWork</c> section: the queue in front of all face work (<see cref="FaceWorkQueue"/>).</summary>
public sealed class FaceWorkOptions
{
    public const string SectionName = "FaceLogin:FaceWork";

    /// <summary>
    /// Requests doing face work at once, each on one of as many dedicated threads. One per core: a face request keeps a core
    /// busy for its 30–60 ms, so more at once only makes every one of them slower. 0 means the processor count.
    /// </summary>
    [Range(0, 256)]
    public int MaxConcurrency { get; set; }

    /// <summary>
    /// How long a request may wait for its turn before it is refused as busy (503 with Retry-After at the web doors). Short:
    /// a person at the camera would rather hear "busy, try again" than watch a spinner. -1 waits as long as it takes, which
    /// the command line sets for itself (an import is the operator's own process; waiting is only slower, never wrong).
    /// </summary>
    [Range(-1, 60_000)]
    public int MaxWaitMilliseconds { get; set; } = 2000;

    /// <summary>What a refused request is told to wait before it tries again (Retry-After).</summary>
    [Range(1, 600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>The concurrency in force: <see cref="MaxConcurrency"/>, or the processor count for 0.</summary>
    public int EffectiveConcurrency => MaxConcurrency > 0 ? MaxConcurrency : Environment.ProcessorCount;
}
