using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary><c>models verify</c> on copies of the build's cache: the real files, hashes and ONNX Runtime.</summary>
public sealed class ModelsCommandTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verify_accepts_the_build_cache_and_refuses_a_file_that_differs_from_the_manifest()
    {
        using var copy = new TempFolder();
        foreach (var file in Directory.EnumerateFiles(ModelCatalogue.Default.Directory))
        {
            File.Copy(file, copy.Combine(Path.GetFileName(file)));
        }

        Assert.Equal(0, await Verify(copy.Path, Cancellation));

        await File.AppendAllTextAsync(copy.Combine("liveness.onnx"), "tampered", Cancellation);
        Assert.Equal(1, await Verify(copy.Path, Cancellation));
    }

    [Fact]
    public async Task Verify_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Verify(ModelCatalogue.Default.Directory, cancelled.Token));
    }

    [Fact]
    public async Task Prepare_into_an_empty_cache_reports_its_own_error_instead_of_crashing_on_the_models_it_is_to_make()
    {
        // A new pin or converter change names a new, empty cache folder: the app's services cannot load models from it,
        // so 'models prepare' must not need them (the build runs it exactly then).
        using var cache = new TempFolder();
        using var packages = new TempFolder();

        var (exitCode, _, errors) = await WebCommand.RunAsync(
            [new(ModelCacheLocation.RootVariable, cache.Path)], ["models", "prepare", "--packages", packages.Path], Cancellation);

        Assert.True(exitCode == 1, $"exit {exitCode}: {errors}");
        Assert.StartsWith("error: models: ", errors, StringComparison.Ordinal);
    }

    private static Task<int> Verify(string modelDirectory, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddSingleton(new ModelCatalogue(modelDirectory)).BuildServiceProvider();
        return new ModelsCommand(services).RunAsync(new CliArguments(["verify"]), cancellationToken);
    }
}
