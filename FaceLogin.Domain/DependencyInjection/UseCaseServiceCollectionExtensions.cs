using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Reconciliation;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.DependencyInjection;

public static class UseCaseServiceCollectionExtensions
{
    /// <summary>Registration, authentication and administration services and their options, and the stores' start-up initialisation.</summary>
    /// <remarks>
    /// Singletons: they hold no per-request state, and registration's in-process write gate (see <see cref="RegistrationService"/>)
    /// only serialises what it must if there is one instance.
    /// </remarks>
    public static IServiceCollection AddFaceLoginServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistrationOptions>()
            .Bind(configuration.GetSection(RegistrationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Quality.IsValid(), $"{RegistrationOptions.SectionName}:Quality has a value out of range.")
            .ValidateOnStart();
        services.AddOptions<AuthenticationOptions>()
            .Bind(configuration.GetSection(AuthenticationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Quality.IsValid(), $"{AuthenticationOptions.SectionName}:Quality has a value out of range.")
            .ValidateOnStart();

        // One face rule for every door: sign-in, sign-up, import and the S3-upload function.
        services.AddOptions<FaceRuleOptions>()
            .Bind(configuration.GetSection(FaceRuleOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new DominantFaceRule(sp.GetRequiredService<IOptions<FaceRuleOptions>>().Value.MaxBackgroundWidthRatio));

        // One image budget per door (sign-in, sign-up, import, upload), checked by the services from the header (docs/architecture.md).
        services.AddOptions<ImageBudgetOptions>()
            .Bind(configuration.GetSection(ImageBudgetOptions.SectionName))
            .Validate(o => o.IsValid(), $"{ImageBudgetOptions.SectionName} has a limit out of range.")
            .ValidateOnStart();
        services.AddFaceWorkQueue(configuration);

        // Liveness: the policy per door, the challenge the pages ask for (the judge itself comes with the engine that serves it).
        services.AddOptions<LivenessOptions>()
            .Bind(configuration.GetSection(LivenessOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Burst.MinFrames <= o.Burst.MaxFrames, $"{LivenessOptions.SectionName}:Burst:MinFrames is above MaxFrames.")
            .ValidateOnStart();
        services.AddOptions<HeadMovementChallengeOptions>()
            .Bind(configuration.GetSection(HeadMovementChallengeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<HeadMovementChallengeFactory>();

        services.AddSingleton<IValidateOptions<RegistrationOptions>, DuplicateThresholdValidator>();
        services.AddSingleton<IValidateOptions<FaceLoginOptions>, AdminIdsValidator>();

        services.AddSingleton<RegistrationService>();
        services.AddSingleton<AuthenticationService>();
        // Its collection factory and generations are optional parameters: DI passes them when the adapters register them.
        services.AddSingleton<AdministrationService>();

        services.AddOptions<ReconciliationOptions>()
            .Bind(configuration.GetSection(ReconciliationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReconciliationService>();

        // The stores are checked and opened before the app takes requests (see FaceLoginStartup), then what a crash left is
        // repaired (in that order: hosted services start one after another).
        services.AddHostedService<FaceLoginStartupService>();
        services.AddHostedService<ReconciliationAtStartup>();
        return services;
    }
}
