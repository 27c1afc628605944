using System.Globalization;
using System.Threading.RateLimiting;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Extensions;

/// <summary>
/// Requests per client address (<see cref="ClientAddress"/>): face sign-ins and thumbnails through ASP.NET's rate limiter,
/// sign-ups (inside a circuit, out of the middleware's sight) through <see cref="SignUpThrottle"/>; the face work of both
/// doors together, priced per image, through <see cref="FaceWorkMeter"/>.
/// </summary>
public static class ThrottlingExtensions
{
    public static IServiceCollection AddFaceLoginThrottling(this IServiceCollection services)
    {
        services.AddSingleton<SignUpThrottle>();
        services.AddSingleton<FaceWorkMeter>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AuthEndpoints.SignInRateLimitPolicy, SignInLimiter);
            // A challenge precedes each burst sign-in: as many as sign-ins, in a window of their own so that asking for one
            // does not use up a sign-in.
            options.AddPolicy(LivenessChallengeEndpoint.RateLimitPolicy, SignInLimiter);
            // Thumbnails are rendered from the full photo on each request, and are not cached anywhere on purpose (no-store: a face
            // must not stay in a shared computer's browser cache after sign-out). This bounds the CPU a signed-in script can burn.
            options.AddPolicy(ImageEndpoints.ThumbnailRateLimitPolicy, static context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<FaceLoginWebOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ThumbnailPermitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            options.OnRejected = static async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                // The sign-in page shows the message; an img tag has no use for one.
                if (context.HttpContext.Request.Path.StartsWithSegments("/auth"))
                {
                    await context.HttpContext.Response.WriteAsJsonAsync(FaceSignInRefused.Throttled, cancellationToken);
                }
            };
        });
        return services;
    }

    private static RateLimitPartition<string> SignInLimiter(HttpContext context)
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
    }
}
