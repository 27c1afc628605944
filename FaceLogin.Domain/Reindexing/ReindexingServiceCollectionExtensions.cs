using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceLogin.Domain.Reindexing;

public static class ReindexingServiceCollectionExtensions
{
    /// <summary>
    /// The port every use case talks to: the collection of the generation this process serves, over whichever collection
    /// factory the configured adapter registered. Directories that keep generations register <see cref="ICollectionGenerations"/>.
    /// </summary>
    public static IServiceCollection AddServedFaceCollection(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ServedFaceCollection(sp.GetRequiredService<IFaceCollectionFactory>(), sp.GetService<ICollectionGenerations>()));
        // Behind the queue in front of all face work (FaceWorkQueue): every use case's image call waits its turn there.
        services.AddQueuedFaceCollection(sp => sp.GetRequiredService<ServedFaceCollection>());
        return services;
    }
}
