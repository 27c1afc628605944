using Bunit;
using FaceLogin.Web.Components.Layout;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Components;

namespace FaceLogin.Tests.Web.Components;

/// <summary>The app bar offers what fits who is looking: sign up / sign in, or account and sign out, and Admin only to admins.</summary>
public sealed class MainLayoutTests : ComponentTestContext
{
    [Fact]
    public void Anonymous_visitors_see_sign_up_and_sign_in_only()
    {
        AddAuthorization().SetNotAuthorized();

        var cut = RenderLayout();

        Assert.Equal("signup", cut.Find("a.nav-sign-up").GetAttribute("href"));
        Assert.Equal("login", cut.Find("a.nav-sign-in").GetAttribute("href"));
        Assert.Equal("false", cut.Find("a.nav-sign-in").GetAttribute("data-enhance-nav"));
        Assert.Empty(cut.FindAll(".nav-account"));
        Assert.Empty(cut.FindAll(".nav-admin"));
        Assert.Empty(cut.FindAll("form.sign-out-form"));
        Assert.Contains("the page", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_in_person_sees_their_account_and_a_sign_out_form_with_antiforgery_token()
    {
        AddAuthorization().SetAuthorized("Ada Lovelace");

        var cut = RenderLayout();

        Assert.Contains("Ada Lovelace", cut.Find("a.nav-account").TextContent, StringComparison.Ordinal);
        var form = cut.Find("form.sign-out-form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("auth/logout", form.GetAttribute("action"));
        Assert.Equal(FixedAntiforgeryStateProvider.Token, form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value"));
        Assert.Empty(cut.FindAll(".nav-admin"));
        Assert.Empty(cut.FindAll(".nav-sign-up"));
    }

    [Fact]
    public void Admins_also_see_the_admin_page()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("Grace Hopper");
        authorization.SetPolicies(FaceLoginPolicies.Admin);

        var cut = RenderLayout();

        Assert.Equal("admin", cut.Find("a.nav-admin").GetAttribute("href"));
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "the page"))));
}
