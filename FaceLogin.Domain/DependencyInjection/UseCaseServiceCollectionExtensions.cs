using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.DependencyInjection;

public static class UseCaseServiceCollectionExtensions
{
    /// <summary>Registration, authentication and administration services and their options.</summary>
    public static IServiceCollection AddFaceLoginServices(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
