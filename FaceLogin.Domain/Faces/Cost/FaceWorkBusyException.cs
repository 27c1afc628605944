namespace FaceLogin.Domain.Faces.Cost;

/// <summary>
/// Thrown by <see cref="FaceWorkQueue"/> when a request found no free place for its face work within the configured wait.
/// Nothing was decoded or searched; the doors answer it as "busy, try again in <see cref="RetryAfter"/>".
/// </summary>
public sealed class FaceWorkBusyException(TimeSpan retryAfter)
    : Exception($"Face work is at capacity; try again in {retryAfter.TotalSeconds:0} s.")
{
    /// <summary>What the person is told: the same words at every door that has a person in front of it.</summary>
    public const string UserMessage = "The service is busy right now. Please try again in a few seconds.";

    public TimeSpan RetryAfter { get; } = retryAfter;
}
