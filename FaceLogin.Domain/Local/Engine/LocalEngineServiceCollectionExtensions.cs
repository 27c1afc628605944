using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using FaceLogin.Domain.Local.Engine.Models;

namespace FaceLogin.Domain.Local.Engine;

public static class LocalEngineServiceCollectionExtensions
{
    /// <summary>The offline face engine: model catalogue, ONNX sessions and the analysis pipeline (IFaceAnalyzer).</summary>
    public static IServiceCollection AddLocalFaceEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFaceModelCatalogue(configuration);
        return services;
    }
}
