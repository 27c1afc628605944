using FaceLogin.Domain.Administration;
using System.Globalization;
using FaceLogin.Domain.Authentication;
using AuthenticationService = FaceLogin.Domain.Authentication.AuthenticationService;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Messages;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Endpoints;

/// <summary>
/// Everything that sets or clears the auth cookie. These are plain HTTP endpoints because a cookie can only be set on an
/// HTTP response; interactive pages reach them with a full page load (see docs/architecture.md).
/// </summary>
public static class AuthEndpoints
{
    public const string SignInRateLimitPolicy = "face-sign-in";

    /// <summary>Where people land after signing in, unless they came from a page that sent them to sign in.</summary>
    public const string DefaultLandingPage = "/account";

    /// <summary>
    /// The body may hold the photo (at most the sign-in door's byte limit, 2 MB by default, which may be raised to 5 MB) plus a few form fields. More is refused with 413 before
    /// the antiforgery check reads it (<see cref="SignInBodyCap"/>).
    /// </summary>
    public const long MaxSignInRequestBytes = 6 * 1024 * 1024;

    /// <summary>What a 503 for a full storage suggests: freeing space takes an operator, not a second.</summary>
    private static readonly TimeSpan StorageFullRetryAfter = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/auth");

        // Binding IFormFile makes the antiforgery middleware check the token: a POST without it is refused with 400.
        auth.MapPost("/login", SignInWithFaceAsync)
            .RequireRateLimiting(SignInRateLimitPolicy)
            .WithFormOptions(multipartBodyLengthLimit: MaxSignInRequestBytes)
            .WithMetadata(new RequestSizeLimitAttribute(MaxSignInRequestBytes));

        // The head-movement challenge a burst answers (liveness, docs/liveness.md); the page asks just before capturing.
        auth.MapPost("/liveness", LivenessChallengeEndpoint.Issue)
            .RequireRateLimiting(LivenessChallengeEndpoint.RateLimitPolicy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        auth.MapGet("/complete", CompleteSignUpAsync);

        // Stated explicitly, though binding a form field implies it: the antiforgery middleware checks the token and form
        // binding refuses the request with 400 when it is missing or wrong.
        auth.MapPost("/logout", SignOutAsync)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        return endpoints;
    }

    /// <summary>
    /// POST /auth/login (multipart: <c>image</c> JPEG, or a burst answering a challenge — <c>challenge</c>, <c>frames</c>,
    /// <c>frameTimes</c>, <c>stepTimes</c>, see <see cref="SignInBurstForm"/> —, optional <c>returnUrl</c>, antiforgery token).
    /// Which one the sign-in door needs is its liveness mode (<c>FaceLogin:Liveness:SignIn</c>): a photo where a burst is
    /// needed is refused 401 {NotLive}; a burst whose challenge is missing, expired, used or another browser's, 401 {ChallengeExpired}.
    /// 200 {redirect} with the auth and known-device cookies set; 401 {status, message} when nobody was recognised (or the person's
    /// face sign-in is suspended); 429 with Retry-After when the address is delayed (the throttle; a valid known-device cookie
    /// instead gets its person verified, <see cref="KnownDeviceCookie"/>) or throttled (requests, or face work:
    /// <see cref="FaceWorkMeter"/>); 503 {Busy} with Retry-After when the face-work queue has no place (<see cref="FaceWorkQueue"/>);
    /// 503 {StorageFull} with Retry-After when the storage is full (<see cref="StorageFull"/>); 400 for a missing photo or one over
    /// the sign-in door's byte limit (<c>FaceLogin:ImageBudgets:SignIn:MaxBytes</c>); 413 for a body over <see cref="MaxSignInRequestBytes"/>.
    /// </summary>
    internal static async Task<Results<Ok<FaceSignInSucceeded>, BadRequest<FaceSignInRefused>, JsonHttpResult<FaceSignInRefused>>> SignInWithFaceAsync(
        IFormFile? image,
        [FromForm] string? returnUrl,
        HttpContext httpContext,
        [AsParameters] AuthServices services,
        CancellationToken cancellationToken)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        var clientAddress = ClientAddress.Of(httpContext);
        var knownDevice = services.KnownDevices.PersonOf(httpContext.Request);
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        if (SignInBurstForm.IsIn(form))
        {
            var (burstForm, problem) = await SignInBurstForm.ReadAsync(
                form, services.ImageBudgets.Value.SignIn, services.Liveness.Value.Burst, cancellationToken);
            if (burstForm is null)
            {
                return TypedResults.BadRequest(new FaceSignInRefused("BadRequest", problem!));
            }

            // Redeemed before any face work, and used up by this answer whatever it turns out to be.
            if (services.Challenges.Redeem(burstForm.Token, LivenessChallengeBinding.Of(httpContext)) is not { } challenge)
            {
                services.Logger.LogInformation("Face sign-in refused: the burst's challenge is missing, expired, used or another browser's.");
                return TypedResults.Json(FaceSignInRefused.ChallengeExpired, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (burstForm.StepTimes.Count != challenge.Steps.Count)
            {
                return TypedResults.BadRequest(new FaceSignInRefused("BadRequest", SignInMessages.BurstMalformed(SignInBurstForm.StepTimesField)));
            }

            // With a burst the service searches the burst's frontal frame; the request's own image is not used.
            var burst = burstForm.ToBurst(challenge.Steps);
            return await AuthenticateAsync(
                new AuthenticationRequest(ReadOnlyMemory<byte>.Empty, clientAddress, knownDevice) { Burst = burst },
                [.. burst.Frames.Select(f => f.Image)], returnUrl, httpContext, services, cancellationToken);
        }

        var maxBytes = services.ImageBudgets.Value.SignIn.MaxBytes;
        if (image is null || image.Length == 0)
        {
            return TypedResults.BadRequest(new FaceSignInRefused("BadRequest", SignInMessages.NoPhoto));
        }

        if (image.Length > maxBytes)
        {
            return TypedResults.BadRequest(new FaceSignInRefused("BadRequest", FaceFeedback.TooLarge(maxBytes)));
        }

        var photo = await ReadBoundedAsync(image, maxBytes, cancellationToken);
        return await AuthenticateAsync(
            new AuthenticationRequest(photo, clientAddress, knownDevice), [photo], returnUrl, httpContext, services, cancellationToken);
    }

    /// <summary>
    /// The face question, for a photo or a burst alike: ONE item of the face-work queue, the address's face-work budget charged
    /// for every image in it (<paramref name="charged"/>) before anything is decoded, then the service's answer as the page's JSON.
    /// </summary>
    private static async Task<Results<Ok<FaceSignInSucceeded>, BadRequest<FaceSignInRefused>, JsonHttpResult<FaceSignInRefused>>> AuthenticateAsync(
        AuthenticationRequest request,
        IReadOnlyList<ReadOnlyMemory<byte>> charged,
        string? returnUrl,
        HttpContext httpContext,
        AuthServices services,
        CancellationToken cancellationToken)
    {
        var clientAddress = request.ClientAddress;
        AuthenticationResult? result;
        var workRetryAfter = TimeSpan.Zero;
        try
        {
            // A place in the face-work queue first: a refusal as busy touches nothing (no work charged, no lock-out attempt).
            // Then the address's face-work budget, charged before anything is decoded, whatever the answer will be.
            result = await services.FaceWork.RunAsync(
                async () => services.FaceWorkMeter.TryCharge(clientAddress, ImageDoor.SignIn, charged, out workRetryAfter)
                    ? await services.Authentication.AuthenticateAsync(request, cancellationToken)
                    : null,
                cancellationToken);
        }
        catch (FaceWorkBusyException busy)
        {
            services.Logger.LogWarning("Face sign-in refused: face work at capacity.");
            return Refused(httpContext, busy.RetryAfter, StatusCodes.Status503ServiceUnavailable, FaceSignInRefused.Busy);
        }
        catch (Exception ex) when (StorageFull.IsCause(ex))
        {
            // The attempt could not be recorded, so nobody can be signed in: answered as unavailable, in the page's JSON, and
            // logged once without the stack. The next sign-in after space is freed works; nothing needs restarting.
            services.Logger.LogWarning("Face sign-in refused because the storage is full: {Problem}", ex.Message);
            return Refused(httpContext, StorageFullRetryAfter, StatusCodes.Status503ServiceUnavailable, FaceSignInRefused.StorageFull);
        }

        if (result is null)
        {
            services.Logger.LogInformation("Face sign-in refused: the client's face-work budget is spent.");
            return Refused(httpContext, workRetryAfter, StatusCodes.Status429TooManyRequests, FaceSignInRefused.WorkLimit);
        }

        if (!result.Succeeded || result.Person is null)
        {
            services.Logger.LogInformation("Face sign-in refused: {Outcome}.", result.Outcome);
            var refusal = new FaceSignInRefused(result.Outcome.ToString(), SignInMessages.For(result));
            var status = result.Outcome == LoginOutcome.LockedOut ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
            // The address throttle's delay, when it gave one.
            return result.RetryAfter is { } retryAfter
                ? Refused(httpContext, retryAfter, status, refusal)
                : TypedResults.Json(refusal, statusCode: status);
        }

        var isAdmin = await services.Administration.IsAdminAsync(result.Person.Id, cancellationToken);
        await SignInAsync(httpContext, result.Person, isAdmin, services.KnownDevices);
        services.Logger.LogInformation("Face sign-in succeeded for person {PersonId}.", result.Person.Id);
        return TypedResults.Ok(new FaceSignInSucceeded(LocalReturnUrl(returnUrl) ?? DefaultLandingPage));
    }

    /// <summary>GET /auth/complete?ticket=… — the full page load that follows a sign-up: redeems the one-time ticket and sets the cookie.</summary>
    internal static async Task<RedirectHttpResult> CompleteSignUpAsync(
        string? ticket,
        HttpContext httpContext,
        [AsParameters] AuthServices services,
        CancellationToken cancellationToken)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        // The sign-up page navigates here itself, so the browser calls this same-origin. A link from another site would be
        // login CSRF with a leaked ticket (signing the visitor in as someone else): refused before the ticket is even looked at.
        // Browsers too old to send Sec-Fetch-Site are let through; the ticket's 60 s and single use still bound them.
        if (httpContext.Request.Headers["Sec-Fetch-Site"] is [{ } site] && site != "same-origin")
        {
            return TypedResults.LocalRedirect("/login?ticket=expired");
        }

        if (services.Tickets.Redeem(ticket) is not { } personId
            || await services.Administration.GetPersonAsync(personId, cancellationToken) is not { } person)
        {
            return TypedResults.LocalRedirect("/login?ticket=expired");
        }

        await SignInAsync(httpContext, person.Person, person.IsAdmin, services.KnownDevices);
        return TypedResults.LocalRedirect(DefaultLandingPage + "?welcome=1");
    }

    /// <summary>
    /// POST /auth/logout (form with antiforgery token, optional local <c>returnUrl</c>). Ends every session of the person, not
    /// only this browser's cookie: other tabs' open pages at their next revalidation, other browsers and copied cookies at their
    /// next request.
    /// </summary>
    internal static async Task<RedirectHttpResult> SignOutAsync(
        [FromForm] string? returnUrl,
        HttpContext httpContext,
        [AsParameters] AuthServices services,
        CancellationToken cancellationToken)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        // Ended in the directory first: if that fails the request fails and this browser stays signed in, rather than looking
        // signed out while the other sessions live on.
        if (httpContext.User.GetPersonId() is { } personId)
        {
            await services.Administration.EndSessionsAsync(personId, cancellationToken);
            services.Logger.LogInformation("Person {PersonId} signed out; every session of theirs ended.", personId);
        }

        await httpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect(LocalReturnUrl(returnUrl) ?? "/");
    }

    private static JsonHttpResult<FaceSignInRefused> Refused(HttpContext httpContext, TimeSpan retryAfter, int status, FaceSignInRefused refusal)
    {
        httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(refusal, statusCode: status);
    }

    /// <summary>A path on this site, or null: absolute URLs, protocol-relative <c>//host</c> and <c>/\host</c> would leave it (open redirect).</summary>
    internal static string? LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 }
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : null;

    /// <summary>The session cookie, and the known-device cookie that lets this browser past a delayed address next time.</summary>
    private static Task SignInAsync(HttpContext httpContext, Person person, bool isAdmin, KnownDeviceCookie knownDevices)
    {
        knownDevices.Issue(httpContext, person.Id);
        return httpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            FaceLoginClaims.CreatePrincipal(person, isAdmin),
            // A session cookie: closing the browser signs out; the 8-hour sliding expiry bounds an open session.
            new AuthenticationProperties { IsPersistent = false });
    }

    private static async Task<byte[]> ReadBoundedAsync(IFormFile file, long maxBytes, CancellationToken cancellationToken)
    {
        await using var source = file.OpenReadStream();
        var buffer = new byte[Math.Min(file.Length, maxBytes)];
        await source.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}

/// <summary>What the auth endpoints need, bound by <c>[AsParameters]</c>.</summary>
internal readonly record struct AuthServices(
    [FromServices] AuthenticationService Authentication,
    [FromServices] AdministrationService Administration,
    [FromServices] SignInTickets Tickets,
    [FromServices] KnownDeviceCookie KnownDevices,
    [FromServices] IOptions<FaceLoginWebOptions> Options,
    [FromServices] IOptions<ImageBudgetOptions> ImageBudgets,
    [FromServices] FaceWorkQueue FaceWork,
    [FromServices] FaceWorkMeter FaceWorkMeter,
    [FromServices] LivenessChallenges Challenges,
    [FromServices] IOptions<LivenessOptions> Liveness,
    [FromServices] ILogger<AuthServices> Logger);
