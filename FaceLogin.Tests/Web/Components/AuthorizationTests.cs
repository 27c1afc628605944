using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Components;
using FaceLogin.Web.Components.Pages;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// Interactive navigation through the app's router: pages that need a person send anonymous visitors to the (static)
/// sign-in page with a full load, and the admin page is shown to admins only.
/// </summary>
public sealed class AuthorizationTests : ComponentTestContext
{
    private readonly Person _person = new(Guid.NewGuid(), "Ada Lovelace", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "v", false, null);

    public AuthorizationTests()
    {
        Directory.GetPersonAsync(_person.Id, Arg.Any<CancellationToken>()).Returns(_person);
        Directory.GetFacesAsync(_person.Id, Arg.Any<CancellationToken>()).Returns([]);
        Directory.ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>()).Returns(new PagedResult<PersonSummary>([], 0));
        Directory.ListLoginAttemptsAsync(Arg.Any<PageRequest>(), Arg.Any<CancellationToken>()).Returns(new PagedResult<LoginAttempt>([], 0));
    }

    [Theory]
    [InlineData("admin", "/admin")]
    [InlineData("account", "/account")]
    public void Anonymous_visitors_are_sent_to_sign_in_with_a_full_page_load(string page, string returnUrl)
    {
        AddAuthorization().SetNotAuthorized();

        RenderAt(page);

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var redirect = navigation.History.First();
        Assert.Equal("login?returnUrl=" + Uri.EscapeDataString(returnUrl), redirect.Uri);
        Assert.True(redirect.Options.ForceLoad);
    }

    [Fact]
    public void A_signed_in_person_who_is_not_admin_is_told_the_admin_page_is_not_for_them()
    {
        SignIn(admin: false);

        var cut = RenderAt("admin");

        cut.WaitForAssertion(() => Assert.Contains("for administrators only", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".people-grid"));
        Directory.DidNotReceive().ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void An_admin_gets_the_admin_page()
    {
        SignIn(admin: true);

        var cut = RenderAt("admin");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".people-grid")));
    }

    [Fact]
    public void A_signed_in_person_gets_their_account_page()
    {
        SignIn(admin: false);

        var cut = RenderAt("account");

        cut.WaitForAssertion(() => Assert.Equal("Ada Lovelace", cut.Find(".person-name").TextContent));
    }

    [Fact]
    public void The_admin_page_demands_the_admin_policy_and_the_account_page_a_signed_in_person()
    {
        Assert.Equal(FaceLoginPolicies.Admin, typeof(Admin).GetCustomAttribute<AuthorizeAttribute>()?.Policy);
        Assert.NotNull(typeof(Account).GetCustomAttribute<AuthorizeAttribute>());
    }

    private void SignIn(bool admin)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(_person.FullName)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, _person.Id.ToString("D", CultureInfo.InvariantCulture)));
        if (admin)
        {
            authorization.SetPolicies(FaceLoginPolicies.Admin);
            Directory.GetPersonAsync(_person.Id, Arg.Any<CancellationToken>()).Returns(_person with { IsAdmin = true });
        }
    }

    private IRenderedComponent<Routes> RenderAt(string page)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);
        return Render<Routes>();
    }
}
