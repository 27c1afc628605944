namespace FaceLogin.Domain.Local.Engine.Onnx;

/// <summary>How every ONNX Runtime session of the engine runs.</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>
    /// Threads per inference. Two by default: a login waits for one analysis, and on the 2-vCPU machine two threads take
    /// it from 27 to 20 ms (docs/performance.md). Not more: concurrent requests already run in parallel with each other.
    /// </summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>
    /// Busy-waiting worker threads burn the cores other requests need (several sessions spinning on a 2-core machine gave
    /// 3× p90 spikes, ENGINE-NOTES); off by default.
    /// </summary>
    public bool AllowSpinning { get; init; }
}
