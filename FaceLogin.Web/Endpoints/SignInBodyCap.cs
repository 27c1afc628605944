using Microsoft.AspNetCore.Http.Metadata;

namespace FaceLogin.Web.Endpoints;

/// <summary>
/// The sign-in POST's body cap (<c>RequestSizeLimit</c> on the endpoint) answered as what it is — 413 with the JSON refusal the
/// page shows — before the antiforgery middleware reads the form. Without this, antiforgery meets the cap first and answers
/// 400 "invalid antiforgery token". A declared length over the cap is refused unread; a body without a length (chunked) is read
/// here, up to the cap, and the form is then cached for antiforgery and binding. Runs after the rate limiter, so a throttled
/// client gets its 429 without any of this.
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

            if (request.ContentLength > cap || !await TryReadFormAsync(request, context.RequestAborted))
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.Response.WriteAsJsonAsync(FaceSignInRefused.TooLarge, context.RequestAborted);
                return;
            }

            await next(context);
        });

    private static async Task<bool> TryReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await request.ReadFormAsync(cancellationToken);
            return true;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
        catch (InvalidDataException)
        {
            // The multipart reader's own limits (body or section length).
            return false;
        }
    }
}
