using System.Globalization;
using System.Threading.RateLimiting;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Extensions;

/// <summary>
/// Requests per client address (<see cref="ClientAddress"/>): face sign-ins through ASP.NET's rate limiter, thumbnails likewise,
/// sign-ups (inside a circuit, out of the middleware's sight) through <see cref="SignUpThrottle"/>.
/// </summary>
public static class ThrottlingExtensions
{
    public static IServiceCollection AddFaceLoginThrottling(this IServiceCollection services)
    {
        services.AddSingleton<SignUpThrottle>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AuthEndpoints.SignInRateLimitPolicy, static context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<FaceLoginWebOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(context),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.LoginPermitLimit,
                        Window = TimeSpan.FromSeconds(limits.LoginWindowSeconds),
                        QueueLimit = 0,
                    });
            });
            options.OnRejected = static async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.Response.WriteAsJsonAsync(FaceSignInRefused.Throttled, cancellationToken);
            };
        });
        return services;
    }
}
