using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NSubstitute;

namespace FaceLogin.Tests.Web.Components;

/// <summary>The account page: who I am, my photo from the authorised endpoint, sign out, and deleting my data after a confirmation.</summary>
public sealed class AccountPageTests : ComponentTestContext
{
    private readonly IDialogService _dialogs = Substitute.For<IDialogService>();
    private readonly Person _me = new(Guid.NewGuid(), "Ada Lovelace", DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-3), "2026-11-27", false, null);
    private readonly RegisteredFace _myFace;

    public AccountPageTests()
    {
        Services.AddSingleton(_dialogs);
        _myFace = new RegisteredFace("face-7", _me.Id, FaceImageKey.New(_me.Id), new BoundingBox(0.3f, 0.3f, 0.4f, 0.4f), _me.RegisteredAt);
        Directory.GetPersonAsync(_me.Id, Arg.Any<CancellationToken>()).Returns(_me);
        Directory.GetFacesAsync(_me.Id, Arg.Any<CancellationToken>()).Returns([_myFace]);
        Directory.DeletePersonAsync(_me.Id, Arg.Any<CancellationToken>()).Returns(true);
        Faces.ListFacesAsync(Arg.Any<string?>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new FacePage([], null));
        AddAuthorization().SetAuthorized(_me.FullName).SetClaims(new Claim(ClaimTypes.NameIdentifier, _me.Id.ToString("D", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Shows_who_I_am_with_my_photo_from_the_thumbnail_endpoint()
    {
        var cut = Render<Account>();

        cut.WaitForAssertion(() => Assert.Equal("Ada Lovelace", cut.Find(".person-name").TextContent));
        Assert.Equal($"images/people/{_me.Id:D}/faces/face-7?size=192", cut.Find("img.face-photo").GetAttribute("src"));
        Assert.Contains("2026-11-27", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void While_prerendered_the_delete_button_is_disabled_because_a_click_would_reach_no_handler()
    {
        // The prerendered HTML is on screen before the circuit connects (the browser scenario once clicked it then, under load).
        UseRenderer(new RendererInfo("Static", isInteractive: false));

        var cut = Render<Account>();

        Assert.True(cut.WaitForElement("button.delete-my-data").HasAttribute("disabled"));
        Assert.False(cut.Find("form:has(.sign-out-button) button").HasAttribute("disabled"));
    }

    [Fact]
    public void Sign_out_is_a_post_with_the_antiforgery_token()
    {
        var cut = Render<Account>();

        var form = cut.WaitForElement("form:has(.sign-out-button)");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("auth/logout", form.GetAttribute("action"));
        Assert.Equal(FixedAntiforgeryStateProvider.Token, form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value"));
    }

    [Fact]
    public void Deleting_my_data_after_confirming_removes_me_everywhere_and_reloads_to_sign_me_out()
    {
        ConfirmWith(true);
        var cut = Render<Account>();

        cut.WaitForElement("button.delete-my-data").Click();

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        cut.WaitForAssertion(() => Assert.Single(navigation.History));
        Assert.Equal("account/deleted", navigation.History.Single().Uri);
        Assert.True(navigation.History.Single().Options.ForceLoad);
        Directory.Received(1).DeletePersonAsync(_me.Id, Arg.Any<CancellationToken>());
        Images.Received(1).DeleteAsync(_myFace.ImageKey, Arg.Any<CancellationToken>());
        Faces.Received(1).DeleteFacesAsync(Arg.Is<IReadOnlyCollection<string>>(ids => ids.Contains("face-7")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void A_store_that_fails_while_deleting_keeps_the_page_working_and_says_to_try_again()
    {
        ConfirmWith(true);
        var snackbar = Substitute.For<ISnackbar>();
        Services.AddSingleton(snackbar);
        Images.DeleteAsync(_myFace.ImageKey, Arg.Any<CancellationToken>()).Returns(Task.FromException<bool>(new IOException("disk gone")));
        var cut = Render<Account>();

        cut.WaitForElement("button.delete-my-data").Click();

        cut.WaitForAssertion(() => snackbar.Received(1).Add(Account.DeleteFailedMessage, Severity.Error, Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
        Assert.Empty(Services.GetRequiredService<BunitNavigationManager>().History);
        Assert.False(cut.Find("button.delete-my-data").HasAttribute("disabled"));
    }

    [Fact]
    public void Shows_my_person_id_which_is_what_the_admins_setting_takes()
    {
        var cut = Render<Account>();

        cut.WaitForAssertion(() => Assert.Equal(_me.Id.ToString("D", CultureInfo.InvariantCulture), cut.Find(".person-id").TextContent));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public void Cancelling_the_confirmation_deletes_nothing(bool? answer)
    {
        ConfirmWith(answer);
        var cut = Render<Account>();

        cut.WaitForElement("button.delete-my-data").Click();

        _dialogs.ReceivedWithAnyArgs(1).ShowMessageBoxAsync(default!, default(string)!);
        Directory.DidNotReceive().DeletePersonAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>());
        Assert.Empty(Services.GetRequiredService<BunitNavigationManager>().History);
    }

    [Fact]
    public void A_person_deleted_meanwhile_is_sent_to_the_deleted_page()
    {
        Directory.GetPersonAsync(_me.Id, Arg.Any<CancellationToken>()).Returns((Person?)null);

        Render<Account>();

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        Assert.Equal("account/deleted", Assert.Single(navigation.History).Uri);
    }

    private void ConfirmWith(bool? answer) =>
        _dialogs.ShowMessageBoxAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<string?>(), Arg.Any<DialogOptions?>())
            .Returns(answer);
}
