using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.Local.Stores;

public static class LocalStoresServiceCollectionExtensions
{
    /// <summary>Face images as files under the data folder.</summary>
    public static IServiceCollection AddLocalImageStore(this IServiceCollection services)
    {
        return services;
    }

    /// <summary>People, faces and login attempts in a SQLite file under the data folder.</summary>
    public static IServiceCollection AddSqliteDirectory(this IServiceCollection services)
    {
        return services;
    }
}
