using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reindexing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Index;

public sealed class LocalCollectionRegistrationTests : IDisposable
{
    private readonly TemporaryDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_collection_is_bound_from_FaceLogin_Collection_and_resolves_as_the_port()
    {
        using var services = Build(new()
        {
            ["FaceLogin:Collection:CollectionId"] = "from-config",
            ["FaceLogin:Collection:QualityFilter"] = "None",
            ["FaceLogin:Collection:DatabaseFileName"] = "faces.db",
        });

        var collection = services.GetRequiredService<IFaceCollection>();

        // The port is the served generation's collection behind the face-work queue: before any re-index, the configured one.
        Assert.IsType<QueuedFaceCollection>(collection);
        Assert.Same(services.GetRequiredService<LocalFaceCollections>().OpenLocal("from-config"), await services.GetRequiredService<ServedFaceCollection>().BindAsync(TestContext.Current.CancellationToken));
        Assert.Equal("from-config", collection.CollectionId);
        Assert.Equal(QualityFilter.None, services.GetRequiredService<IOptions<LocalCollectionOptions>>().Value.QualityFilter);
        await collection.EnsureCollectionAsync(TestContext.Current.CancellationToken);
        Assert.True(File.Exists(_folder.File("faces.db")));
    }

    [Fact]
    public async Task The_apps_domain_wiring_resolves_the_local_collection_on_the_real_engine()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _folder.Path })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFaceLoginDomain(configuration);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<QueuedFaceCollection>(provider.GetRequiredService<IFaceCollection>());
        var served = provider.GetRequiredService<ServedFaceCollection>();
        var collection = Assert.IsType<LocalFaceCollection>(await served.BindAsync(TestContext.Current.CancellationToken));
        var description = await collection.EnsureCollectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal(provider.GetRequiredService<IFaceAnalyzer>().ModelVersion, description.FaceModelVersion);
        Assert.Same(SimilarityScale.Default, provider.GetRequiredService<SimilarityScale>());
        Assert.Equal(Path.Combine(_folder.Path, "collection.db"), collection.DatabasePath);
    }

    [Fact]
    public void The_defaults_are_rekognition_like()
    {
        using var services = Build([]);
        var options = services.GetRequiredService<IOptions<LocalCollectionOptions>>().Value;

        Assert.Equal("facelogin", options.CollectionId);
        Assert.Equal(QualityFilter.Auto, options.QualityFilter);
        Assert.Equal("collection.db", options.DatabaseFileName);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("colon:not-allowed")]
    public void A_collection_id_outside_rekognitions_pattern_fails_validation(string collectionId)
    {
        using var services = Build(new() { ["FaceLogin:Collection:CollectionId"] = collectionId });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LocalCollectionOptions>>().Value);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["FaceLogin:DataPath"] = _folder.Path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<FaceLoginOptions>().Bind(configuration.GetSection(FaceLoginOptions.SectionName));

        // What AddLocalFaceEngine provides in the app.
        services.AddSingleton<IFaceAnalyzer>(new ScriptedFaceAnalyzer());
        services.AddSingleton(new SimilarityScale(0.2f, 0.9f));
        services.AddLocalFaceCollection(configuration);
        return services.BuildServiceProvider();
    }
}
