using System.Diagnostics;

namespace FaceLogin.Domain.Local.Engine;

/// <summary>The pipeline's stages, as the bench reports them.</summary>
public enum PipelineStage { Decode, Detect, Landmarks, Quality, Align, Embed }

/// <summary>Time spent per stage during one analysis (for the bench; the product passes none).</summary>
public sealed class StageTimings
{
    private readonly long[] _ticks = new long[Enum.GetValues<PipelineStage>().Length];

    public double Milliseconds(PipelineStage stage) => _ticks[(int)stage] * 1000.0 / Stopwatch.Frequency;

    internal void Add(PipelineStage stage, long startTimestamp) =>
        _ticks[(int)stage] += Stopwatch.GetTimestamp() - startTimestamp;
}
