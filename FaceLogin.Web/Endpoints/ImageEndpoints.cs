using System.Security.Claims;
using FaceLogin.Domain.Administration;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaceLogin.Web.Endpoints;

/// <summary>Face thumbnails for the account and admin pages: only to the person themselves and to admins, never cached by anything shared.</summary>
public static class ImageEndpoints
{
    public const int DefaultThumbnailSide = 160;

    public const string ThumbnailRateLimitPolicy = "thumbnails";

    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var images = endpoints.MapGroup("/images").RequireAuthorization().RequireRateLimiting(ThumbnailRateLimitPolicy);
        images.MapGet("/people/{personId:guid}/faces/{faceId}", GetFaceThumbnailAsync);
        return endpoints;
    }

    public static string ThumbnailUrl(Guid personId, string faceId, int side = DefaultThumbnailSide) =>
        $"images/people/{personId:D}/faces/{Uri.EscapeDataString(faceId)}?size={side}";

    /// <summary>GET /images/people/{personId}/faces/{faceId}?size=160 — a JPEG of the face; 403 for anyone but the person and admins.</summary>
    internal static async Task<Results<FileContentHttpResult, NotFound, ForbidHttpResult>> GetFaceThumbnailAsync(
        Guid personId,
        string faceId,
        int? size,
        ClaimsPrincipal user,
        HttpContext httpContext,
        [AsParameters] ImageServices services,
        CancellationToken cancellationToken)
    {
        if (user.GetPersonId() != personId && !user.IsAdmin())
        {
            return TypedResults.Forbid();
        }

        if (faceId.Length is 0 or > 128)
        {
            return TypedResults.NotFound();
        }

        var side = Math.Clamp(size ?? DefaultThumbnailSide, 32, 512);
        var thumbnail = await services.Administration.GetThumbnailAsync(personId, faceId, side, cancellationToken);
        if (thumbnail is null)
        {
            return TypedResults.NotFound();
        }

        httpContext.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(thumbnail.Jpeg, "image/jpeg");
    }
}

/// <summary>What the image endpoints need, bound by <c>[AsParameters]</c>.</summary>
internal readonly record struct ImageServices([FromServices] AdministrationService Administration);
