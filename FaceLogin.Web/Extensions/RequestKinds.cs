using Microsoft.AspNetCore.StaticAssets;

namespace FaceLogin.Web.Extensions;

/// <summary>What a request is for, in one place: the not-found page, the cookie's redirects, the person check and caching all ask.</summary>
public static class RequestKinds
{
    /// <summary>Endpoints under these answer scripts, img tags and the framework, never a person's address bar.</summary>
    private static readonly PathString[] NotPages = ["/auth", "/images", "/_framework", "/_content", "/_blazor"];

    /// <summary>A request for a page (any method): not an endpoint for scripts or images and not a file (no extension).</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        !NotPages.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
        && !Path.HasExtension(request.Path.Value);

    /// <summary>A person loading a page: a GET of a page address.</summary>
    public static bool IsPageLoad(HttpRequest request) => HttpMethods.IsGet(request.Method) && IsPageRequest(request);

    /// <summary>
    /// A file served by MapStaticAssets (css, scripts, images of the app and its packages). Public, the same for everybody,
    /// so nothing about the signed-in person needs checking to serve it. Known once routing has matched the endpoint.
    /// </summary>
    public static bool IsStaticAsset(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;
}
