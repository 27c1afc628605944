using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceLogin.Domain.Local.Engine.Models;

public static class ModelsServiceCollectionExtensions
{
    /// <summary>The model catalogue, reading <c>FaceLogin:Engine:ModelPath</c>.</summary>
    public static IServiceCollection AddFaceModelCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelCatalogueOptions>().Bind(configuration.GetSection(ModelCatalogueOptions.SectionName));
        services.TryAddSingleton<ModelCatalogue>();
        return services;
    }
}
