using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// What a <see cref="LivenessChallenges"/> token is bound to: the value of the request's antiforgery cookie (why that one:
/// see <see cref="LivenessChallenges"/>). Null when the request carries none, which an antiforgery-checked POST never lacks.
/// </summary>
public static class LivenessChallengeBinding
{
    public static string? Of(HttpContext httpContext)
    {
        var cookieName = httpContext.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
        return cookieName is not null && httpContext.Request.Cookies.TryGetValue(cookieName, out var value) && !string.IsNullOrEmpty(value)
            ? value
            : null;
    }
}
