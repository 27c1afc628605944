using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>
/// The model cache key follows everything that determines the converted ONNX files (review S10): a converter change
/// names a fresh cache folder by itself, and unchanged sources give the same key on every build and machine.
/// </summary>
public sealed class ModelFingerprintTests
{
    private static readonly string DomainRoot = Path.Combine(TestEnvironment.RepoRoot, "FaceLogin.Domain");

    [Fact]
    public void The_fingerprint_lists_the_pins_every_importer_source_the_recipes_and_the_protobuf_packages()
    {
        string[] files =
        [
            .. Directory.EnumerateFiles(Path.Combine(DomainRoot, "Local", "Engine", "Import"), "*.cs", SearchOption.AllDirectories),
            .. new[] { "models.pins", "FaceModel.cs", "FaceModelDescriptions.cs", "ModelRecipes.cs" }
                .Select(name => Path.Combine(DomainRoot, "Local", "Engine", "Models", name)),
        ];
        var expected = files
            .Select(f => $"{Sha256OfText(File.ReadAllBytes(f))}  {Path.GetRelativePath(DomainRoot, f).Replace('\\', '/')}")
            .OrderBy(line => line[66..], StringComparer.Ordinal)
            .Prepend($"package OnnxSharp {PackageVersion("OnnxSharp")}")
            .Prepend($"package Google.Protobuf {PackageVersion("Google.Protobuf")}");

        var fingerprint = ModelFingerprint.Embedded;

        Assert.Equal(expected, fingerprint.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')));
        Assert.Contains(fingerprint.Text.Split('\n'), l => l.EndsWith("  Local/Engine/Import/Mappers/PadMapper.cs", StringComparison.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.Text)))[..16], fingerprint.CacheKey);
        Assert.EndsWith(Path.DirectorySeparatorChar + fingerprint.CacheKey, ModelCatalogue.Default.Directory, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the build's own key target (ModelFingerprint.targets, as FaceModels.targets uses it) on copies of the sources:
    /// as they are, with one mapper edited, with Windows line endings, and with another protobuf version.
    /// </summary>
    [Fact]
    public async Task The_build_computes_the_key_the_app_reads_and_a_converter_change_gives_another()
    {
        using var temp = new TempFolder();
        var asIs = temp.Combine("as-is");
        CopyTree(Path.Combine(DomainRoot, "Local", "Engine", "Import"), Path.Combine(asIs, "Local", "Engine", "Import"));
        CopyTree(Path.Combine(DomainRoot, "Local", "Engine", "Models"), Path.Combine(asIs, "Local", "Engine", "Models"));
        var edited = temp.Combine("edited");
        CopyTree(asIs, edited);
        var mapper = Path.Combine(edited, "Local", "Engine", "Import", "Mappers", "PadMapper.cs");
        File.WriteAllText(mapper, File.ReadAllText(mapper).Replace("mode\", \"constant\"", "mode\", \"reflect\"", StringComparison.Ordinal));
        var windows = temp.Combine("windows");
        CopyTree(asIs, windows);
        foreach (var file in Directory.EnumerateFiles(windows, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file).Replace("\n", "\r\n", StringComparison.Ordinal);
            File.WriteAllText(file, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        }

        var protobuf = PackageVersion("Google.Protobuf");
        var keys = await RunKeyTargetAsync(temp, [("as-is", asIs, protobuf), ("edited", edited, protobuf), ("windows", windows, protobuf), ("bumped", asIs, "99.0.0")]);

        Assert.Equal(ModelFingerprint.Embedded.CacheKey, keys["as-is"]);
        Assert.NotEqual(keys["as-is"], keys["edited"]);
        Assert.Equal(keys["as-is"], keys["windows"]);
        Assert.NotEqual(keys["as-is"], keys["bumped"]);
    }

    private static async Task<Dictionary<string, string>> RunKeyTargetAsync(TempFolder temp, (string Name, string Root, string Protobuf)[] variants)
    {
        var targets = Path.Combine(DomainRoot, "Local", "Engine", "Models", "ModelFingerprint.targets");
        var calls = variants.Select(v => $"""
                <MSBuild Projects="$(MSBuildProjectFullPath)" Targets="FaceLoginModelCacheKey"
                         Properties="FaceLoginModelSourceRoot={v.Root}/;FaceLoginModelFingerprintFile={temp.Combine(v.Name + ".fingerprint")};ProbeProtobufVersion={v.Protobuf}">
                  <Output TaskParameter="TargetOutputs" PropertyName="Key" />
                </MSBuild>
                <Message Importance="high" Text="key {v.Name}=$(Key)" />
            """);
        var project = temp.Combine("probe.proj");
        await File.WriteAllTextAsync(project, $"""
            <Project DefaultTargets="Keys">
              <ItemGroup>
                <PackageVersion Include="OnnxSharp" Version="{PackageVersion("OnnxSharp")}" />
                <PackageVersion Include="Google.Protobuf" Version="$(ProbeProtobufVersion)" />
              </ItemGroup>
              <Import Project="{targets}" />
              <Target Name="Keys">
            {string.Join('\n', calls)}
              </Target>
            </Project>
            """, TestContext.Current.CancellationToken);

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = temp.Path,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-nodeReuse:false", "-verbosity:minimal" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"msbuild failed:\n{await output}\n{await errors}");
        return (await output).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("key ", StringComparison.Ordinal))
            .Select(l => l["key ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>sha256 of a text file ignoring a UTF-8 BOM and CR before LF, as the build hashes sources.</summary>
    private static string Sha256OfText(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0)).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string PackageVersion(string package) =>
        XDocument.Load(Path.Combine(TestEnvironment.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package)
            .Attribute("Version")!.Value;

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
