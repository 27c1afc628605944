namespace FaceLogin.Tests.Support;

/// <summary>
/// Tests that measure managed-heap growth (bytes per face) run alone: other tests allocating in parallel
/// in the same process would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresProcessMemory
{
    public const string Name = "Measures process memory";
}
