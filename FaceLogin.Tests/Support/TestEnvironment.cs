namespace FaceLogin.Tests.Support;

/// <summary>Where the tests find the repository and the shared dataset, and whether missing prerequisites skip or fail.</summary>
public static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>FACELOGIN_DATASET</c>, else <c>../shared/datasets/lfw-dev</c> beside the repository.</summary>
    public static string DatasetPath { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("FACELOGIN_DATASET") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(RepoRoot, "..", "shared", "datasets", "lfw-dev"));

    /// <summary>In CI every prerequisite must be present: a missing one fails instead of skipping.</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0";

    /// <summary>A prerequisite is missing: fails in CI (where everything must run), skips with the reason elsewhere.</summary>
    public static void SkipOrFail(string reason)
    {
        if (IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>Skips (with the reason shown) when the dataset is missing; fails in CI.</summary>
    public static string RequireDataset()
    {
        if (Directory.Exists(DatasetPath))
        {
            return DatasetPath;
        }

        var reason = $"The lfw-dev dataset is not at {DatasetPath}; set FACELOGIN_DATASET to run this test.";
        if (IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return DatasetPath;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceLogin.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FaceLogin.sln not found above " + AppContext.BaseDirectory);
    }
}
