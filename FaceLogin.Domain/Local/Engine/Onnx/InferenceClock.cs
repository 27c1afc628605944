using System.Diagnostics;

namespace FaceLogin.Domain.Local.Engine.Onnx;

/// <summary>
/// Time this thread has spent inside ONNX Runtime, so the bench can set the pipeline's total against pure inference
/// for the very same images. Per thread because the pipeline runs one image on one thread from start to end.
/// </summary>
internal static class InferenceClock
{
    [ThreadStatic]
    private static long t_ticks;

    public static double Milliseconds => t_ticks * 1000.0 / Stopwatch.Frequency;

    public static void Add(long startTimestamp) => t_ticks += Stopwatch.GetTimestamp() - startTimestamp;
}
