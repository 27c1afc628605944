using System.Security.Cryptography;
using System.Text;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// <c>models.pins</c>: the sha256 of every npm file the converter reads (sha256sum format, paths relative to
/// <c>node_modules/</c>). The file is one input of <see cref="ModelFingerprint"/>, which names the cache folder.
/// </summary>
public sealed class ModelPins
{
    private const string ResourceName = "FaceLogin.Models.models.pins";

    private ModelPins(byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Files = lines
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split("  ", 2))
            .Select(parts => parts.Length == 2 && parts[0].Length == 64
                ? new PinnedFile(parts[1], parts[0])
                : throw new InvalidDataException($"models.pins: '{string.Join("  ", parts)}' is not '<sha256>  <path>'."))
            .ToList();
    }

    public IReadOnlyList<PinnedFile> Files { get; }

    /// <summary>The pins compiled into this assembly (the repository's models.pins as of this build).</summary>
    public static ModelPins Embedded { get; } = new(ModelResources.Read(ResourceName));

    public static ModelPins Parse(byte[] content) => new(content);

    /// <summary>Checks every pinned file under <paramref name="nodeModules"/>; throws naming each file that is missing or differs.</summary>
    public void Verify(string nodeModules)
    {
        var problems = new List<string>();
        foreach (var file in Files)
        {
            var path = Path.Combine(nodeModules, file.RelativePath);
            if (!File.Exists(path))
            {
                problems.Add($"{file.RelativePath}: missing");
                continue;
            }

            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != file.Sha256)
            {
                problems.Add($"{file.RelativePath}: sha256 {actual}, pinned {file.Sha256}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException("The npm model files do not match models.pins:\n  " + string.Join("\n  ", problems));
        }
    }
}

public sealed record PinnedFile(string RelativePath, string Sha256);
