using FaceLogin.Domain.Faces.Cost;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Endpoints;

/// <summary>
/// Reads the sign-in POST's form before anything else does, so that every way the body can fail to arrive gets its own
/// defined answer with the JSON refusal the page shows, instead of an exception in the antiforgery check (a 500 page and an
/// error with a stack trace):
/// <list type="bullet">
/// <item>over the endpoint's cap (<c>RequestSizeLimit</c>): 413. A declared length over it is refused unread; a body without
/// a length (chunked) is read up to it. Without this, antiforgery meets the cap first and answers 400 "invalid token".</item>
/// <item>slower than Kestrel's minimum data rate (240 B/s after a 5 s grace, <c>KestrelServerLimits.MinRequestBodyDataRate</c>):
/// 408. Kestrel gives up on the body; the read fails with a <see cref="BadHttpRequestException"/> that says so.</item>
/// <item>ending short of its declared length, or malformed at the transport level: 400.</item>
/// <item>the client gone (connection reset): no answer, there is nobody to send it to.</item>
/// </list>
/// Each of these is one warning line, without the exception's stack (it is the client's doing, not the app's). The form is
/// then cached for antiforgery and binding. Runs after the rate limiter, so a throttled client gets its 429 without any of this.
/// </summary>
public static class SignInBodyCap
{
    public static IApplicationBuilder UseSignInBodyCap(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsPost(request.Method)
                || context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not { MaxRequestBodySize: { } cap }
                || !request.HasFormContentType)
            {
                await next(context);
                return;
            }

            var (status, problem) = request.ContentLength > cap
                ? (StatusCodes.Status413PayloadTooLarge, "over the size cap")
                : await ReadFormAsync(request, context.RequestAborted);
            if (status == StatusCodes.Status200OK)
            {
                await next(context);
                return;
            }

            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInBodyCap))
                .LogWarning("The body of a {Method} {Path} was not accepted: {Problem}", request.Method, request.Path, problem);
            if (RefusalFor(status, context.RequestServices) is { } refusal)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(refusal, context.RequestAborted);
            }
            else
            {
                // The client is gone. Closed here, so that Kestrel does not try to drain the rest of the body from a reader the
                // failed read left mid-read, which it reports as an error of the app (dotnet/aspnetcore#17840).
                context.Abort();
            }
        });

    /// <returns>200 when the whole form was read; otherwise the status to answer (499: the client is gone) and why, for the log.</returns>
    private static async Task<(int Status, string Problem)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await request.ReadFormAsync(cancellationToken);
            return (StatusCodes.Status200OK, "");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status408RequestTimeout)
        {
            return (ex.StatusCode, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            // The multipart reader's own limits (body or section length).
            return (StatusCodes.Status413PayloadTooLarge, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            // Ended short of its Content-Length, bad chunking: what Kestrel itself would answer with 400.
            return (StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (Exception ex) when (ex is IOException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A reset connection (ConnectionResetException) can fail the read before RequestAborted is signalled: both mean gone.
            return (StatusCodes.Status499ClientClosedRequest, "the client closed the connection (" + ex.Message + ")");
        }
    }

    private static FaceSignInRefused? RefusalFor(int status, IServiceProvider services) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => FaceSignInRefused.TooLarge(services.GetRequiredService<IOptions<ImageBudgetOptions>>().Value.SignIn.MaxBytes),
        StatusCodes.Status408RequestTimeout => FaceSignInRefused.BodyTooSlow,
        StatusCodes.Status400BadRequest => FaceSignInRefused.BodyIncomplete,
        _ => null,
    };
}
