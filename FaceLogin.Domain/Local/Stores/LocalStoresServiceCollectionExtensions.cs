using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Stores;

public static class LocalStoresServiceCollectionExtensions
{
    /// <summary>The folder under the data folder that holds face images.</summary>
    public const string ImagesFolderName = "images";

    /// <summary>Face images as files under the data folder.</summary>
    public static IServiceCollection AddLocalImageStore(this IServiceCollection services)
    {
        services.AddSingleton<FileSystemFaceImageStore>(provider => new FileSystemFaceImageStore(
            Path.Combine(provider.GetRequiredService<IOptions<FaceLoginOptions>>().Value.ResolveDataPath(), ImagesFolderName),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFaceImageStore>(provider => provider.GetRequiredService<FileSystemFaceImageStore>());
        return services;
    }

    /// <summary>
    /// People, faces and login attempts in a SQLite file under the data folder. The schema is created or migrated on first
    /// use (thread-safe, and safe against a second process), so the web app and every command get it without a start-up step.
    /// </summary>
    public static IServiceCollection AddSqliteDirectory(this IServiceCollection services)
    {
        services.AddOptions<SqliteDirectoryOptions>()
            .BindConfiguration(SqliteDirectoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SqliteFaceDirectory>(provider => new SqliteFaceDirectory(
            Path.Combine(provider.GetRequiredService<IOptions<FaceLoginOptions>>().Value.ResolveDataPath(), SqliteDirectoryOptions.DatabaseFileName),
            provider.GetRequiredService<IOptions<SqliteDirectoryOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SqliteFaceDirectory>>()));
        services.AddSingleton<IFaceDirectory>(provider => provider.GetRequiredService<SqliteFaceDirectory>());
        services.AddSingleton<ICollectionGenerations>(provider => provider.GetRequiredService<SqliteFaceDirectory>());
        return services;
    }
}
