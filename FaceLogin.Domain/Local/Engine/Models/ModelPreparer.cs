using System.Security.Cryptography;
using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// Makes the model cache folder for the pins: npm ci into a scratch folder, verify every file against models.pins,
/// convert each model to ONNX, write <c>manifest.json</c>, then rename the finished folder into place. The rename is
/// the only step others can see, so concurrent builds (several worktrees) never observe a half-written cache; a loser
/// of the race discards its copy.
/// </summary>
internal sealed class ModelPreparer(ModelPins pins, string cacheRoot, NpmPackageInstaller npm)
{
    public const string ManifestFileName = "manifest.json";

    public string TargetDirectory => Path.Combine(cacheRoot, pins.CacheKey);

    public bool IsPrepared => File.Exists(Path.Combine(TargetDirectory, ManifestFileName));

    /// <summary>Prepares the cache unless it is there; with <paramref name="nodeModules"/> uses already installed packages instead of npm ci.</summary>
    public async Task<bool> PrepareAsync(string? nodeModules, TextWriter log, CancellationToken cancellationToken)
    {
        if (IsPrepared)
        {
            return false;
        }

        var scratch = Path.Combine(cacheRoot, $".tmp-{pins.CacheKey}-{Guid.NewGuid():N}");
        try
        {
            if (nodeModules is null)
            {
                await log.WriteLineAsync($"models: npm ci (face model packages) in {scratch}");
                nodeModules = await npm.InstallAsync(Path.Combine(scratch, "npm"), log, cancellationToken);
            }

            pins.Verify(nodeModules);
            var output = Path.Combine(scratch, "onnx");
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

            await File.WriteAllTextAsync(
                Path.Combine(output, ManifestFileName),
                JsonSerializer.Serialize(new { converter = pins.ConverterVersion, files = manifest }, new JsonSerializerOptions { WriteIndented = true }),
                cancellationToken);
            return Publish(output, log);
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private bool Publish(string output, TextWriter log)
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
