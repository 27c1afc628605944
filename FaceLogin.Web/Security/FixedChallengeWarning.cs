using FaceLogin.Domain.Faces.Liveness;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// <c>FaceLogin:Liveness:Challenge:FixedSteps</c> makes every challenge the same, so that a recorded clip can answer it: a
/// setting for tests only, which in a deployment would let any replayed head-turn video through. Said at start-up, loudly.
/// </summary>
public static class FixedChallengeWarning
{
    public const string Message =
        "FaceLogin:Liveness:Challenge:FixedSteps is set ({Steps}): every head-movement challenge asks for the same steps, so a " +
        "recorded clip can answer it. This setting is for tests only; remove it from any deployment.";

    public static void LogIfSet(IServiceProvider services)
    {
        var fixedSteps = services.GetRequiredService<IOptions<HeadMovementChallengeOptions>>().Value.FixedSteps;
        if (fixedSteps is { Count: > 0 })
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FixedChallengeWarning))
                .LogWarning(Message, string.Join(",", fixedSteps));
        }
    }
}
