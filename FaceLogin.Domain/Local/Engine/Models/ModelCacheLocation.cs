namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// Where converted models live: <c>$FACELOGIN_MODEL_CACHE</c>, else <c>$XDG_CACHE_HOME/facelogin/models</c>, else
/// <c>~/.cache/facelogin/models</c>; inside it one folder per <see cref="ModelFingerprint.CacheKey"/>.
/// The same rules are in FaceModels.targets, which runs the conversion at build time.
/// </summary>
public static class ModelCacheLocation
{
    public const string RootVariable = "FACELOGIN_MODEL_CACHE";

    public static string Root(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(RootVariable) is { Length: > 0 } explicitRoot)
        {
            return Path.GetFullPath(explicitRoot);
        }

        var cacheHome = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.GetFullPath(Path.Combine(cacheHome, "facelogin", "models"));
    }

    /// <summary>The folder holding the .onnx files converted from the sources this fingerprint describes.</summary>
    public static string ModelDirectory(ModelFingerprint fingerprint, Func<string, string?>? environment = null) =>
        Path.Combine(Root(environment), fingerprint.CacheKey);
}
