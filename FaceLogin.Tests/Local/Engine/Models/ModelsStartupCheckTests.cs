using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>The engine's DI checks the models when the host starts (review S13: EnsureAvailable was only called by tests).</summary>
public sealed class ModelsStartupCheckTests
{
    [Fact]
    public async Task A_host_with_the_local_engine_but_no_models_fails_at_start_naming_the_fix()
    {
        using var empty = new TempFolder();
        using var host = LocalEngineHost(empty.Path);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("dotnet build", error.Message, StringComparison.Ordinal);
        Assert.Contains(empty.Path, error.Message, StringComparison.Ordinal);
        // Only start-up checks: the CLI ('models path', 'models prepare') still resolves the catalogue without models.
        Assert.Equal(empty.Path, host.Services.GetRequiredService<ModelCatalogue>().Directory);
    }

    [Fact]
    public async Task A_host_with_the_models_starts()
    {
        using var host = LocalEngineHost(modelPath: null);

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static IHost LocalEngineHost(string? modelPath)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:Engine:ModelPath"] = modelPath });
        builder.Services.AddLocalFaceEngine(builder.Configuration);
        return builder.Build();
    }
}
