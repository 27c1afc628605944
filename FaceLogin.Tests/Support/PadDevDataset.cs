namespace FaceLogin.Tests.Support;

/// <summary>
/// The pad-dev presentation-attack set (../shared/datasets/pad-dev, README there): <c>FACELOGIN_PAD_DATASET</c>, else beside
/// the repository. Never copied into the repository; a missing set skips with the reason locally and fails in CI.
/// </summary>
public static class PadDevDataset
{
    public static string Path { get; } = System.IO.Path.GetFullPath(
        Environment.GetEnvironmentVariable("FACELOGIN_PAD_DATASET") is { Length: > 0 } fromEnv
            ? fromEnv
            : System.IO.Path.Combine(TestEnvironment.RepoRoot, "..", "shared", "datasets", "pad-dev"));

    /// <summary>The bytes of a file of the set, e.g. <c>sfas/image_T1.jpg</c>; skips (fails in CI) when the set is absent.</summary>
    public static byte[] Read(string relativePath) => File.ReadAllBytes(PathOf(relativePath));

    /// <summary>The full path of a file of the set, e.g. <c>tvl/real.mp4</c>; skips (fails in CI) when the set is absent.</summary>
    public static string PathOf(string relativePath)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        if (!File.Exists(path))
        {
            TestEnvironment.SkipOrFail($"The pad-dev dataset has no {relativePath} at {Path}; set FACELOGIN_PAD_DATASET to run this test.");
        }

        return path;
    }
}
