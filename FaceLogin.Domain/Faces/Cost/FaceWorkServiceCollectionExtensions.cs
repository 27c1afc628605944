using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Faces.Cost;

public static class FaceWorkServiceCollectionExtensions
{
    /// <summary>The <c>FaceLogin:FaceWork</c> options and the one <see cref="FaceWorkQueue"/> of the process.</summary>
    public static IServiceCollection AddFaceWorkQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FaceWorkOptions>()
            .Bind(configuration.GetSection(FaceWorkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddFaceWorkQueueOnly();
    }

    /// <summary>
    /// Registers <see cref="IFaceCollection"/> as <paramref name="collection"/> behind the queue: every adapter's collection
    /// (local engine, Rekognition) is reached only through it.
    /// </summary>
    public static IServiceCollection AddQueuedFaceCollection<TCollection>(this IServiceCollection services, Func<IServiceProvider, TCollection> collection)
        where TCollection : IFaceCollection
    {
        services.AddFaceWorkQueueOnly();
        services.TryAddSingleton<IFaceCollection>(sp => new QueuedFaceCollection(collection(sp), sp.GetRequiredService<FaceWorkQueue>()));
        return services;
    }

    private static IServiceCollection AddFaceWorkQueueOnly(this IServiceCollection services)
    {
        // Options default when a test host binds none.
        services.TryAddSingleton(sp => new FaceWorkQueue(sp.GetService<IOptions<FaceWorkOptions>>()?.Value ?? new FaceWorkOptions()));
        return services;
    }
}
