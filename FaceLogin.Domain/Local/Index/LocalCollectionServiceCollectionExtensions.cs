using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.Local.Index;

public static class LocalCollectionServiceCollectionExtensions
{
    /// <summary>The local face collection (IFaceCollection): in-memory exact search persisted in SQLite.</summary>
    public static IServiceCollection AddLocalFaceCollection(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
