using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.Local.Index;

public static class LocalCollectionServiceCollectionExtensions
{
    /// <summary>
    /// The local face collection (IFaceCollection): in-memory exact search persisted in SQLite, configured from
    /// <c>FaceLogin:Collection</c>. Needs the engine's <c>IFaceAnalyzer</c> and <c>SimilarityScale</c> (registered by AddLocalFaceEngine).
    /// </summary>
    public static IServiceCollection AddLocalFaceCollection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalCollectionOptions>()
            .Bind(configuration.GetSection(LocalCollectionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<LocalFaceCollection>();
        services.AddSingleton<IFaceCollection>(sp => sp.GetRequiredService<LocalFaceCollection>());
        return services;
    }
}
