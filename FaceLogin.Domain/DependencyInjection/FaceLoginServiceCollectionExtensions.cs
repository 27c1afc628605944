using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.DependencyInjection;

public static class FaceLoginServiceCollectionExtensions
{
    /// <summary>
    /// Everything the domain needs: options, the use-case services, and one adapter per port
    /// chosen by configuration (<see cref="FaceLoginOptions.Images"/>, <see cref="FaceLoginOptions.Faces"/>, <see cref="FaceLoginOptions.Directory"/>).
    /// </summary>
    public static IServiceCollection AddFaceLoginDomain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FaceLoginOptions>()
            .Bind(configuration.GetSection(FaceLoginOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddFaceLoginServices(configuration);
        services.AddFaceLoginStorage(configuration);
        return services;
    }
}
