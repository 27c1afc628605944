using System.Security.Cryptography;
using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// Makes the model cache folder for a fingerprint: npm ci into a scratch folder, verify every file against models.pins,
/// convert each model to ONNX, write <c>manifest.json</c> and the fingerprint, then rename the finished folder into
/// place. The rename is the only step others can see, so concurrent builds (several worktrees) never observe a
/// half-written cache; a loser of the race discards its copy.
/// </summary>
internal sealed class ModelPreparer(ModelPins pins, ModelFingerprint fingerprint, string cacheRoot, NpmPackageInstaller npm)
{
    public const string ManifestFileName = "manifest.json";

    /// <summary>The fingerprint text the folder was made from, kept beside the models to tell which sources made them.</summary>
    public const string FingerprintFileName = "fingerprint.txt";

    public string TargetDirectory => Path.Combine(cacheRoot, fingerprint.CacheKey);

    public bool IsPrepared => File.Exists(Path.Combine(TargetDirectory, ManifestFileName));

    /// <summary>Prepares the cache unless it is there; with <paramref name="nodeModules"/> uses already installed packages instead of npm ci.</summary>
    public async Task<bool> PrepareAsync(string? nodeModules, TextWriter log, CancellationToken cancellationToken)
    {
        if (IsPrepared)
        {
            return false;
        }

        var scratch = Path.Combine(cacheRoot, $".tmp-{fingerprint.CacheKey}-{Guid.NewGuid():N}");
        try
        {
            if (nodeModules is null)
            {
                await log.WriteLineAsync($"models: npm ci (face model packages) in {scratch}");
                nodeModules = await npm.InstallAsync(Path.Combine(scratch, "npm"), log, cancellationToken);
            }

            var output = Path.Combine(scratch, "onnx");
            var manifest = await ConvertAsync(nodeModules, output, log, cancellationToken);
            await File.WriteAllTextAsync(
                Path.Combine(output, ManifestFileName),
                JsonSerializer.Serialize(new { cacheKey = fingerprint.CacheKey, files = manifest }, new JsonSerializerOptions { WriteIndented = true }),
                cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(output, FingerprintFileName), fingerprint.Text, cancellationToken);
            return Publish(output, log);
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    /// <summary>Verifies the pinned files and converts every model into <paramref name="output"/>; returns each file's sha256.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ConvertAsync(string nodeModules, string output, TextWriter log, CancellationToken cancellationToken)
    {
        pins.Verify(nodeModules);
        Directory.CreateDirectory(output);
        var manifest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var recipe in ModelRecipes.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = FaceModelDescriptions.Of(recipe.Model).FileName;
            await log.WriteLineAsync($"models: converting {recipe.Model} → {file}");
            recipe.Convert(nodeModules, Path.Combine(output, file));
            await using var stream = File.OpenRead(Path.Combine(output, file));
            manifest[file] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        return manifest;
    }

    private bool Publish(string output, TextWriter log)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Move(output, TargetDirectory);
                log.WriteLine($"models: ready in {TargetDirectory}");
                return true;
            }
            catch (IOException) when (IsPrepared)
            {
                // Another build finished first with identical content: keep theirs.
                return false;
            }
            catch (IOException) when (attempt == 1)
            {
                // A folder without manifest.json was not made by a preparer (ours appear whole, by one rename): a partial
                // manual copy or a deleted manifest. Keep its content, out of the way, and try once more.
                if (Directory.Exists(TargetDirectory))
                {
                    MoveAside(TargetDirectory, log);
                }
            }
        }
    }

    private void MoveAside(string folder, TextWriter log)
    {
        var aside = Path.Combine(cacheRoot, $".stale-{fingerprint.CacheKey}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(folder, aside);
            log.WriteLine($"models: {folder} had no {ManifestFileName}; moved it to {aside} (delete it when you no longer need it)");
        }
        catch (DirectoryNotFoundException)
        {
            // A concurrent preparer moved it first.
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A scratch folder left behind costs disk only; the next prepare makes its own.
        }
    }
}
