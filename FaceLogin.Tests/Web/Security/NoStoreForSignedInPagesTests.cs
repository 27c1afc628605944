using System.Net;
using System.Security.Claims;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace FaceLogin.Tests.Web.Security;

/// <summary>
/// The app's pages already get <c>no-store</c> from antiforgery (every page renders a token); this rule does not depend on that:
/// checked here on a bare pipeline whose page writes no antiforgery token.
/// </summary>
public sealed class NoStoreForSignedInPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account", true, "no-store")]
    [InlineData("/account", false, "")]
    [InlineData("/app.css", true, "")]
    [InlineData("/images/people/x/faces/y", true, "")]
    public async Task Only_pages_for_a_signed_in_person_are_marked_no_store(string path, bool signedIn, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            if (signedIn)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Ada")], "test"));
            }

            return next(context);
        });
        app.UseNoStoreForSignedInPages();
        app.Run(context => context.Response.WriteAsync("page", context.RequestAborted));
        await app.StartAsync(Cancel);

        using var response = await app.GetTestClient().GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.CacheControl?.ToString() ?? "");
    }
}
