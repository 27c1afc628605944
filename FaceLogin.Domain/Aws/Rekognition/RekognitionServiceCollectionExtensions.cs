using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reindexing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Rekognition;

internal static class RekognitionServiceCollectionExtensions
{
    /// <summary>The typed client over one pooled HttpClient, and the collection adapter on it.</summary>
    public static IServiceCollection AddRekognitionClient(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var aws = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            var factory = sp.GetRequiredService<AwsClientFactory>();
            var (endpoint, region) = factory.RekognitionEndpoint();
            // DNS changes are picked up by recycling pooled connections; 30 s covers a 5 MB upload on a slow link.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            return new RekognitionClient(
                http,
                factory.Credentials,
                new RekognitionClientOptions(endpoint, region, aws.MaxRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RekognitionClient>>());
        });
        services.TryAddSingleton<RekognitionFaceCollections>();
        services.TryAddSingleton<IFaceCollectionFactory>(sp => sp.GetRequiredService<RekognitionFaceCollections>());
        // The configured collection, which provision creates.
        services.TryAddSingleton(sp => sp.GetRequiredService<RekognitionFaceCollections>().OpenRekognition(sp.GetRequiredService<IOptions<AwsOptions>>().Value.CollectionId));
        services.AddServedFaceCollection();
        return services;
    }
}
