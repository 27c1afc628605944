using FaceLogin.Web.Endpoints;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>Where the sign-in endpoint is willing to send a browser afterwards: this site only.</summary>
public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/admin")]
    [InlineData("/account?welcome=1")]
    public void Local_paths_are_kept(string url) => Assert.Equal(url, AuthEndpoints.LocalReturnUrl(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("admin")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/ok\r\nSet-Cookie: x=y")]
    public void Anything_that_could_leave_the_site_is_dropped(string? url) => Assert.Null(AuthEndpoints.LocalReturnUrl(url));
}
