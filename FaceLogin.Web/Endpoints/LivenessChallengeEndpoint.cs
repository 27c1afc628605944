using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Endpoints;

/// <summary>
/// POST /auth/liveness: the sign-in page asks for a head-movement challenge before it captures a burst (docs/liveness.md).
/// An antiforgery-checked form POST, so only the page that loaded the form can ask, and the answer is bound to that
/// browser's antiforgery cookie (<see cref="LivenessChallengeBinding"/>). Rate-limited per address like sign-in, and never cached.
/// </summary>
public static class LivenessChallengeEndpoint
{
    public const string RateLimitPolicy = "liveness-challenge";

    /// <summary>
    /// 200 <see cref="LivenessChallengeIssued"/>; 400 {BadRequest} without a valid antiforgery token (or its cookie);
    /// 429 with Retry-After when the address asked too often.
    /// </summary>
    internal static Results<Ok<LivenessChallengeIssued>, BadRequest<FaceSignInRefused>> Issue(
        HttpContext httpContext,
        [FromServices] LivenessChallenges challenges,
        [FromServices] IOptions<LivenessOptions> liveness)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        // Nothing is bound from the form here, so the antiforgery middleware's verdict (the endpoint requires the token) does
        // not stop the request by itself: it is read here.
        if (httpContext.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }
            || LivenessChallengeBinding.Of(httpContext) is not { } binding)
        {
            return TypedResults.BadRequest(new FaceSignInRefused("BadRequest", Messages.SignInMessages.PageExpired));
        }

        var (challenge, token) = challenges.Issue(binding);
        return TypedResults.Ok(LivenessChallengeIssued.From(challenge, token, liveness.Value.Burst));
    }
}

/// <summary>The challenge as the page gets it: the token to send back with the burst, the steps to show, and how to capture.</summary>
/// <param name="Steps">The <see cref="HeadMovement"/> names, in order.</param>
/// <param name="Burst">The capture timing, from <c>FaceLogin:Liveness:Burst</c>: the page has no numbers of its own.</param>
public sealed record LivenessChallengeIssued(string Token, IReadOnlyList<string> Steps, DateTimeOffset ExpiresAt, BurstTiming Burst)
{
    public static LivenessChallengeIssued From(HeadMovementChallenge challenge, string token, LivenessBurstShape shape) =>
        new(token, [.. challenge.Steps.Select(s => s.ToString())], challenge.ExpiresAt, BurstTiming.From(shape));
}

/// <summary>How the page captures a burst (<see cref="LivenessBurstShape"/>), in milliseconds and pixels.</summary>
public sealed record BurstTiming(int LookMs, int StepMs, int FrameIntervalMs, int FrameMaxSide)
{
    public static BurstTiming From(LivenessBurstShape shape) => new(shape.LookMs, shape.StepMs, shape.FrameIntervalMs, shape.FrameMaxSide);
}
