using System.Text.Json;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>The pinned npm packages, installed once (real npm ci) into a temp folder for the tests that convert from them.</summary>
public sealed class PinnedPackagesFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public string NodeModules { get; private set; } = "";

    public async ValueTask InitializeAsync() =>
        NodeModules = await new NpmPackageInstaller().InstallAsync(_folder.Combine("npm"), TextWriter.Null, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The real preparation path (npm ci, pins, conversion, publish) into private cache roots.</summary>
public sealed class ModelPreparerTests(PinnedPackagesFixture packages) : IClassFixture<PinnedPackagesFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_prepares_publish_one_complete_folder_and_leave_no_scratch()
    {
        using var root = new TempFolder();
        var first = NewPreparer(root.Path);
        var second = NewPreparer(root.Path);

        var made = await Task.WhenAll(
            Task.Run(() => first.PrepareAsync(null, TextWriter.Null, Cancellation), Cancellation),
            Task.Run(() => second.PrepareAsync(null, TextWriter.Null, Cancellation), Cancellation));

        Assert.Single(made, m => m); // exactly one published; the other found the winner's folder
        Assert.Equal([ModelFingerprint.Embedded.CacheKey], Directory.GetDirectories(root.Path).Select(Path.GetFileName)); // no scratch left behind
        Assert.Equal(FaceModelDescriptions.All.Select(d => d.FileName).Order(), ManifestHashes(first.TargetDirectory).Keys.Order());
        Assert.Equal(ModelFingerprint.Embedded.Text, await File.ReadAllTextAsync(Path.Combine(first.TargetDirectory, ModelPreparer.FingerprintFileName), Cancellation));
        new ModelCatalogue(first.TargetDirectory).EnsureAvailable();

        Assert.False(await first.PrepareAsync(null, TextWriter.Null, Cancellation)); // a second run does nothing
    }

    /// <summary>
    /// The guard for anything the fingerprint does not list (a runtime or serialiser change): converting the pinned
    /// packages now must give, byte for byte, the files the build cached under this fingerprint.
    /// </summary>
    [Fact]
    public async Task Reconverting_the_pinned_packages_reproduces_the_build_cache_byte_for_byte()
    {
        using var output = new TempFolder();
        var cached = ManifestHashes(ModelCatalogue.Default.Directory);

        var converted = await NewPreparer(output.Path).ConvertAsync(packages.NodeModules, output.Path, TextWriter.Null, Cancellation);

        Assert.Equal(cached.OrderBy(p => p.Key, StringComparer.Ordinal), converted.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_target_folder_without_a_manifest_is_moved_aside_and_preparation_succeeds()
    {
        using var root = new TempFolder();
        var preparer = NewPreparer(root.Path);
        Directory.CreateDirectory(preparer.TargetDirectory);
        await File.WriteAllTextAsync(Path.Combine(preparer.TargetDirectory, "blazeface.onnx"), "half of a manual copy", Cancellation);
        var log = new StringWriter();

        Assert.True(await preparer.PrepareAsync(packages.NodeModules, log, Cancellation));

        Assert.True(preparer.IsPrepared);
        new ModelCatalogue(preparer.TargetDirectory).EnsureAvailable();
        Assert.NotEqual("half of a manual copy", await File.ReadAllTextAsync(Path.Combine(preparer.TargetDirectory, "blazeface.onnx"), Cancellation));
        var aside = Assert.Single(Directory.GetDirectories(root.Path), d => d != preparer.TargetDirectory);
        Assert.StartsWith(".stale-", Path.GetFileName(aside), StringComparison.Ordinal);
        Assert.Equal("half of a manual copy", await File.ReadAllTextAsync(Path.Combine(aside, "blazeface.onnx"), Cancellation)); // kept, not deleted
        Assert.Contains(aside, log.ToString(), StringComparison.Ordinal);
    }

    private static ModelPreparer NewPreparer(string root) => new(ModelPins.Embedded, ModelFingerprint.Embedded, root, new NpmPackageInstaller());

    private static Dictionary<string, string> ManifestHashes(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, ModelPreparer.ManifestFileName)));
        return manifest.RootElement.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
