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
    /// it loads one of its own, because the burst is judged here before Rekognition is asked (docs/aws.md, "Liveness"). Nothing
    /// loads until a door asks; a host whose doors ask for liveness checks at start-up that the models are there.
    /// </summary>
    public static IServiceCollection AddLocalLiveness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelCatalogueOptions>().Bind(configuration.GetSection(ModelCatalogueOptions.SectionName));
        services.TryAddSingleton<ModelCatalogue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LivenessOptions>, LivenessModelsCheck>());
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

/// <summary>
/// A door that asks for liveness needs the local models in every mode (with Rekognition too): without them the host fails at
/// start-up naming the fix, instead of at the first sign-in. Doors with liveness <see cref="LivenessMode.Off"/> need nothing.
/// </summary>
internal sealed class LivenessModelsCheck(ModelCatalogue catalogue) : IValidateOptions<LivenessOptions>
{
    public ValidateOptionsResult Validate(string? name, LivenessOptions options)
    {
        if (options.SignIn == LivenessMode.Off && options.SignUp == LivenessMode.Off)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            catalogue.EnsureAvailable();
            return ValidateOptionsResult.Success;
        }
        catch (ModelsUnavailableException ex)
        {
            return ValidateOptionsResult.Fail($"{LivenessOptions.SectionName}: liveness needs the local face models. {ex.Message}");
        }
    }
}
