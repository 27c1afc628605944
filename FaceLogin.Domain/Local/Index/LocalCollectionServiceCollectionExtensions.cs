using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FaceLogin.Domain.Reindexing;

namespace FaceLogin.Domain.Local.Index;

public static class LocalCollectionServiceCollectionExtensions
{
    /// <summary>
    /// The local face collection (IFaceCollection): in-memory exact search persisted in SQLite, configured from
    /// <c>FaceLogin:Collection</c>; the port is the collection of the generation the process serves (<see cref="ServedFaceCollection"/>). Needs the engine's <c>IFaceAnalyzer</c> (AddLocalFaceEngine). The similarity scale is the
    /// one the engine registers for its recogniser; <see cref="SimilarityScale.Default"/> only when nothing registered one
    /// (an analyzer without the engine, as in tests).
    /// </summary>
    public static IServiceCollection AddLocalFaceCollection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalCollectionOptions>()
            .Bind(configuration.GetSection(LocalCollectionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(SimilarityScale.Default);
        services.AddSingleton<LocalFaceCollections>();
        services.AddSingleton<IFaceCollectionFactory>(sp => sp.GetRequiredService<LocalFaceCollections>());
        services.AddServedFaceCollection();
        return services;
    }
}
