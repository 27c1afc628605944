using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Extensions;

/// <summary>The keys that protect cookies, antiforgery tokens sign-up tickets and liveness challenges, and the tickets, challenges and known-device cookies themselves.</summary>
public static class DataProtectionExtensions
{
    public static IServiceCollection AddFaceLoginDataProtection(this IServiceCollection services)
    {
        // Keys under the data folder: cookies, antiforgery tokens and sign-in tickets survive a restart.
        // Configured through options (not at registration time) so a test's or the command line's data folder is honoured.
        services.AddDataProtection().SetApplicationName("FaceLogin");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<FaceLoginOptions>, ILoggerFactory>((keys, faceLogin, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(faceLogin.Value.ResolveDataPath(), "keys")), loggers));

        services.AddSingleton<SignInTickets>();
        services.AddSingleton<LivenessChallenges>();
        services.AddSingleton<KnownDeviceCookie>();
        return services;
    }
}
