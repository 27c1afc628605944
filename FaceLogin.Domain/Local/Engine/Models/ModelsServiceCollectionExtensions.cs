using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Engine.Models;

public static class ModelsServiceCollectionExtensions
{
    /// <summary>The model catalogue, reading <c>FaceLogin:Engine:ModelPath</c>; a started host checks every model is there.</summary>
    public static IServiceCollection AddFaceModelCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelCatalogueOptions>().Bind(configuration.GetSection(ModelCatalogueOptions.SectionName));
        services.TryAddSingleton<ModelCatalogue>();
        services.AddOptions<ModelsStartupCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelsStartupCheck>, ModelsStartupCheckValidator>());
        return services;
    }
}
