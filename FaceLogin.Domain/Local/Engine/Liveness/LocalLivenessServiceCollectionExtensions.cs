using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;
using FaceLogin.Domain.Local.Engine.Recognition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Engine.Liveness;

public static class LocalLivenessServiceCollectionExtensions
{
    /// <summary>
    /// The liveness judge on the local engine, in every mode: with the local collection it shares that engine; with Rekognition
    /// it loads one of its own, because the burst is judged here before Rekognition is asked (docs/aws.md, "Liveness").
    /// </summary>
    public static IServiceCollection AddLocalLiveness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFaceModelCatalogue(configuration);
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.SectionName));
        services.TryAddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<IOptions<LocalEngineOptions>>().Value;
            return new PassiveLivenessScorer(
                new PassiveLivenessOptions(sp.GetRequiredService<ModelCatalogue>().PathOf(FaceModel.MiniFasNet)),
                new OnnxRuntimeOptions { IntraOpThreads = engine.IntraOpThreads, AllowSpinning = engine.AllowSpinning });
        });
        services.TryAddSingleton<ILivenessFrameAnalyzer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LocalEngineOptions>>().Value;
            var scorer = sp.GetRequiredService<PassiveLivenessScorer>();
            return sp.GetService<LocalFaceEngine>() is { } shared
                ? new LocalLivenessFrameAnalyzer(shared, scorer, sp.GetService<SimilarityScale>() ?? RecognizerCalibration.For(options))
                : new LocalLivenessFrameAnalyzer(new LocalFaceEngine(sp.GetRequiredService<ModelCatalogue>(), options), scorer, RecognizerCalibration.For(options), ownsEngine: true);
        });
        services.TryAddSingleton<LivenessJudge>();
        return services;
    }
}
