using System.Security.Cryptography;
using System.Text.Json;
using FaceLogin.Domain.Local.Engine.Models;
using Microsoft.ML.OnnxRuntime;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>models prepare [--packages NODE_MODULES]</c>: make the ONNX cache for this build's models.pins (the build runs it; idempotent).
/// <c>models verify</c>: check every cached file against its manifest hash and load it in ONNX Runtime, printing its contract.
/// <c>models path</c>: print the folder the app loads models from.
/// </summary>
public sealed class ModelsCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "models";

    public string Summary => "prepare | verify | path   face model cache (prepare runs at build time)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var action = arguments.Positionals.FirstOrDefault() ?? throw new CliUsageException("say prepare, verify or path.");
        switch (action)
        {
            case "prepare":
                return await PrepareAsync(arguments.Get("packages"), cancellationToken);
            case "verify":
                return await VerifyAsync(Catalogue(), cancellationToken);
            case "path":
                await Console.Out.WriteLineAsync(Catalogue().Directory);
                return 0;
            default:
                throw new CliUsageException($"unknown action '{action}': say prepare, verify or path.");
        }
    }

    private ModelCatalogue Catalogue() => services.GetService<ModelCatalogue>() ?? ModelCatalogue.Default;

    internal static async Task<int> PrepareAsync(string? packages, CancellationToken cancellationToken)
    {
        var preparer = new ModelPreparer(ModelPins.Embedded, ModelFingerprint.Embedded, ModelCacheLocation.Root(), new NpmPackageInstaller());
        try
        {
            var made = await preparer.PrepareAsync(packages is null ? null : Path.GetFullPath(packages), Console.Out, cancellationToken);
            await Console.Out.WriteLineAsync(made ? $"models: prepared {preparer.TargetDirectory}" : $"models: already prepared in {preparer.TargetDirectory}");
            return 0;
        }
        catch (Exception ex) when (ex is ModelsUnavailableException or InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: models: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(ModelCatalogue catalogue, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(catalogue.Directory, ModelPreparer.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            await Console.Error.WriteLineAsync($"models: no {ModelPreparer.ManifestFileName} in {catalogue.Directory}; run 'dotnet build' or 'models prepare'.");
            return 1;
        }

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(manifestPath, cancellationToken));
        var files = manifest.RootElement.GetProperty("files");
        var failures = 0;
        foreach (var description in FaceModelDescriptions.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var path = catalogue.PathOf(description.Model);
                await using (var stream = File.OpenRead(path))
                {
                    var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
                    if (!files.TryGetProperty(description.FileName, out var expected) || expected.GetString() != actual)
                    {
                        throw new InvalidDataException($"{description.FileName} differs from the manifest (sha256 {actual}).");
                    }
                }

                using var session = new InferenceSession(path);
                var outputs = string.Join(", ", session.OutputMetadata.Select(o => $"{o.Key}[{string.Join(',', o.Value.Dimensions)}]"));
                await Console.Out.WriteLineAsync($"ok  {description}\n  (ORT sees outputs {outputs})");
            }
            catch (Exception ex) when (ex is ModelsUnavailableException or InvalidDataException or OnnxRuntimeException)
            {
                failures++;
                await Console.Error.WriteLineAsync($"FAIL {description.Model}: {ex.Message}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
