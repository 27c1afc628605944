namespace FaceLogin.Domain.Local.Engine.Onnx;

/// <summary>How every ONNX Runtime session of the engine runs.</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>
    /// Threads per inference. One by default: requests run in parallel with each other, and several sessions each
    /// spinning a pool on a 2-core machine gave 3× p90 spikes (ENGINE-NOTES timing note).
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Busy-waiting worker threads burn the cores other requests need; off by default.</summary>
    public bool AllowSpinning { get; init; }
}
