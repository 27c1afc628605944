using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Engine;

public static class LocalEngineServiceCollectionExtensions
{
    /// <summary>The offline face engine: model catalogue, ONNX sessions and the analysis pipeline (IFaceAnalyzer).</summary>
    public static IServiceCollection AddLocalFaceEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFaceModelCatalogue(configuration);
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.SectionName));
        // One engine per process: its ONNX sessions are thread-safe and cost 15–50 ms each to create.
        services.TryAddSingleton(sp => new LocalFaceEngine(sp.GetRequiredService<ModelCatalogue>(), sp.GetRequiredService<IOptions<LocalEngineOptions>>().Value));
        services.TryAddSingleton<IFaceAnalyzer>(sp => sp.GetRequiredService<LocalFaceEngine>().Analyzer);
        // The cosine ↔ 0..100 mapping calibrated for the configured recogniser's embeddings (docs/accuracy.md).
        services.TryAddSingleton(sp => Recognition.RecognizerCalibration.For(sp.GetRequiredService<IOptions<LocalEngineOptions>>().Value));
        return services;
    }
}
