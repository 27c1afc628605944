using System.Globalization;
using System.Security.Claims;
using Bunit;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Components.Pages;
using FaceLogin.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NSubstitute;

namespace FaceLogin.Tests.Web.Components;

/// <summary>The admin page: people and attempts from the server a page at a time, search, delete and promote after confirming.</summary>
public sealed class AdminPageTests : ComponentTestContext
{
    private readonly IDialogService _dialogs = Substitute.For<IDialogService>();
    private readonly Person _admin = NewPerson("Grace Hopper", isAdmin: true);
    private readonly Person _ada = NewPerson("Ada Lovelace", isAdmin: false);
    private readonly RegisteredFace _adaFace;

    public AdminPageTests()
    {
        Services.AddSingleton(_dialogs);
        _adaFace = new RegisteredFace("face-ada", _ada.Id, FaceImageKey.New(_ada.Id), new BoundingBox(0.3f, 0.3f, 0.4f, 0.4f), _ada.RegisteredAt);
        Directory.GetPersonAsync(_admin.Id, Arg.Any<CancellationToken>()).Returns(_admin);
        Directory.GetPersonAsync(_ada.Id, Arg.Any<CancellationToken>()).Returns(_ada);
        Directory.GetFacesAsync(_ada.Id, Arg.Any<CancellationToken>()).Returns([_adaFace]);
        Directory.GetFacesAsync(_admin.Id, Arg.Any<CancellationToken>()).Returns([]);
        Directory.DeletePersonAsync(_ada.Id, Arg.Any<CancellationToken>()).Returns(true);
        Directory.ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>())
            .Returns(new PagedResult<PersonSummary>([new PersonSummary(_admin, 0, null), new PersonSummary(_ada, 1, _adaFace)], 23));
        Directory.ListLoginAttemptsAsync(Arg.Any<PageRequest>(), Arg.Any<CancellationToken>())
            .Returns(new PagedResult<LoginAttempt>(
            [
                new LoginAttempt(Guid.NewGuid(), DateTimeOffset.UtcNow, LoginOutcome.SignedIn, _ada.Id, 96.5f, "10.0.0.7"),
                new LoginAttempt(Guid.NewGuid(), DateTimeOffset.UtcNow, LoginOutcome.NotRecognised, null, 41.2f, "10.0.0.9"),
                new LoginAttempt(Guid.NewGuid(), DateTimeOffset.UtcNow, LoginOutcome.NotLive, null, null, "10.0.0.11")
                {
                    LivenessRefusal = FaceLogin.Domain.Faces.Liveness.LivenessRefusal.FlatPicture,
                },
            ], 3));
        Faces.ListFacesAsync(Arg.Any<string?>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new FacePage([], null));
        AddAuthorization().SetAuthorized(_admin.FullName)
            .SetRoles(FaceLoginClaims.AdminRole)
            .SetPolicies(FaceLoginPolicies.Admin)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, _admin.Id.ToString("D", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Lists_the_first_page_of_people_from_the_server_with_thumbnails_from_the_image_endpoint()
    {
        var cut = Render<Admin>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".people-grid tbody tr.mud-table-row").Count));
        Assert.Contains("Ada Lovelace", cut.Find(".people-grid").TextContent, StringComparison.Ordinal);
        Assert.Equal($"images/people/{_ada.Id:D}/faces/face-ada?size=96", cut.Find(".people-grid img.face-thumb").GetAttribute("src"));
        Assert.Contains("23", cut.Find(".people-grid .mud-table-pagination").TextContent, StringComparison.Ordinal);
        Directory.Received().ListPeopleAsync(new PeopleQuery(0, 10, null), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Searching_asks_the_server_for_matching_names()
    {
        var cut = Render<Admin>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".people-grid tbody tr.mud-table-row").Count));

        cut.Find(".people-search input").Input("  ada ");

        cut.WaitForAssertion(
            () => Directory.Received().ListPeopleAsync(new PeopleQuery(0, 10, "ada"), Arg.Any<CancellationToken>()),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_next_page_is_asked_from_the_server()
    {
        var cut = Render<Admin>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".people-grid tbody tr.mud-table-row").Count));

        cut.Find(".people-grid button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => Directory.Received().ListPeopleAsync(new PeopleQuery(1, 10, null), Arg.Any<CancellationToken>()));
    }

    [Fact]
    public void Deleting_a_person_needs_a_confirmation_and_then_removes_them_everywhere()
    {
        ConfirmWith(true);
        var cut = Render<Admin>();

        cut.WaitForElement($".people-grid button[aria-label='Delete {_ada.FullName}']").Click();

        cut.WaitForAssertion(() => Directory.Received(1).DeletePersonAsync(_ada.Id, Arg.Any<CancellationToken>()));
        _dialogs.Received(1).ShowMessageBoxAsync(
            "Delete this person?", Arg.Is<string>(m => m.Contains("Ada Lovelace", StringComparison.Ordinal)), "Delete",
            Arg.Any<string?>(), "Cancel", Arg.Any<DialogOptions?>());
        Images.Received(1).DeleteAsync(_adaFace.ImageKey, Arg.Any<CancellationToken>());
        Faces.Received(1).DeleteFacesAsync(Arg.Is<IReadOnlyCollection<string>>(ids => ids.Contains("face-ada")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Cancelling_the_confirmation_deletes_nobody()
    {
        ConfirmWith(null);
        var cut = Render<Admin>();

        cut.WaitForElement($".people-grid button[aria-label='Delete {_ada.FullName}']").Click();

        _dialogs.ReceivedWithAnyArgs(1).ShowMessageBoxAsync(default!, default(string)!);
        Directory.DidNotReceive().DeletePersonAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void An_admin_who_lost_the_role_after_the_page_loaded_cannot_delete_and_is_told_why()
    {
        ConfirmWith(true);
        var snackbar = SubstituteSnackbar();
        var cut = Render<Admin>();
        var delete = cut.WaitForElement($".people-grid button[aria-label='Delete {_ada.FullName}']");
        Directory.GetPersonAsync(_admin.Id, Arg.Any<CancellationToken>()).Returns(_admin with { IsAdmin = false });

        delete.Click();

        cut.WaitForAssertion(() => snackbar.Received(1).Add("You are no longer an admin.", Severity.Error, Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
        _dialogs.Received(1).ShowMessageBoxAsync(
            "Delete this person?", Arg.Any<string>(), "Delete", Arg.Any<string?>(), "Cancel", Arg.Any<DialogOptions?>());
        Directory.DidNotReceive().DeletePersonAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>());
        var navigation = Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        Assert.True(navigation.History.Single().Options.ForceLoad);
    }

    [Fact]
    public void A_demoted_admin_reads_nothing_more_the_next_time_the_grid_loads()
    {
        var snackbar = SubstituteSnackbar();
        var cut = Render<Admin>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".people-grid tbody tr.mud-table-row").Count));
        Directory.GetPersonAsync(_admin.Id, Arg.Any<CancellationToken>()).Returns(_admin with { IsAdmin = false });

        cut.Find(".people-grid button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => snackbar.Received(1).Add("You are no longer an admin.", Severity.Error, Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
        Directory.DidNotReceive().ListPeopleAsync(new PeopleQuery(1, 10, null), Arg.Any<CancellationToken>());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".people-grid tbody tr.mud-table-row")));
    }

    [Fact]
    public void Searching_from_a_later_page_asks_the_server_for_the_first_page_of_matches_only()
    {
        var people = Enumerable.Range(0, 10).Select(i => new PersonSummary(_ada with { Id = Guid.NewGuid(), FullName = "P" + i }, 0, null)).ToList();
        Directory.ListPeopleAsync(Arg.Is<PeopleQuery>(q => q.Search == null), Arg.Any<CancellationToken>())
            .Returns(new PagedResult<PersonSummary>(people, 30));
        Directory.ListPeopleAsync(Arg.Is<PeopleQuery>(q => q.Search != null), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<PeopleQuery>().Page == 0
                ? new PagedResult<PersonSummary>(people.Take(2).ToList(), 2)
                : new PagedResult<PersonSummary>([], 2));
        var cut = Render<Admin>();
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll(".people-grid tbody tr.mud-table-row").Count));
        cut.Find(".people-grid button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Directory.Received().ListPeopleAsync(new PeopleQuery(1, 10, null), Arg.Any<CancellationToken>()));
        cut.Find(".people-grid button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Directory.Received().ListPeopleAsync(new PeopleQuery(2, 10, null), Arg.Any<CancellationToken>()));

        cut.Find(".people-search input").Input("p1");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".people-grid tbody tr.mud-table-row").Count), TimeSpan.FromSeconds(5));
        var searched = Directory.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name == nameof(IFaceDirectory.ListPeopleAsync))
            .Select(c => (PeopleQuery)c.GetArguments()[0]!)
            .Where(q => q.Search == "p1")
            .ToList();
        Assert.Equal([0], searched.Select(q => q.Page));
    }

    [Fact]
    public void A_store_that_fails_while_deleting_leaves_the_page_working_and_says_so()
    {
        ConfirmWith(true);
        var snackbar = SubstituteSnackbar();
        Images.DeleteAsync(_adaFace.ImageKey, Arg.Any<CancellationToken>()).Returns(Task.FromException<bool>(new IOException("disk gone")));
        var cut = Render<Admin>();

        cut.WaitForElement($".people-grid button[aria-label='Delete {_ada.FullName}']").Click();

        cut.WaitForAssertion(() => snackbar.Received(1).Add(
            Arg.Is<string>(m => m.Contains("Could not finish deleting Ada Lovelace", StringComparison.Ordinal)), Severity.Error,
            Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
        // The page still answers: the next page can be asked for.
        cut.Find(".people-grid button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Directory.Received().ListPeopleAsync(new PeopleQuery(1, 10, null), Arg.Any<CancellationToken>()));
    }

    [Fact]
    public void A_store_that_fails_while_promoting_says_nothing_changed()
    {
        ConfirmWith(true);
        var snackbar = SubstituteSnackbar();
        Directory.SetAdminAsync(_ada.Id, true, Arg.Any<CancellationToken>()).Returns(Task.FromException(new IOException("database is locked")));
        var cut = Render<Admin>();

        cut.WaitForElement($".people-grid button[aria-label='Make {_ada.FullName} an admin']").Click();

        cut.WaitForAssertion(() => snackbar.Received(1).Add(
            Arg.Is<string>(m => m.Contains("nothing changed", StringComparison.Ordinal)), Severity.Error,
            Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
    }

    [Fact]
    public void A_store_that_fails_while_listing_shows_an_empty_grid_and_says_so()
    {
        var snackbar = SubstituteSnackbar();
        Directory.ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromException<PagedResult<PersonSummary>>(new IOException("database is locked")));

        var cut = Render<Admin>();

        cut.WaitForAssertion(() => snackbar.Received(1).Add(
            "The people list could not be loaded. Please try again in a moment.", Severity.Error,
            Arg.Any<Action<SnackbarOptions>?>(), Arg.Any<string?>()));
        Assert.Contains("Nobody is registered yet.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Promoting_makes_a_person_admin_after_confirming()
    {
        ConfirmWith(true);
        Directory.CountAdminsAsync(Arg.Any<CancellationToken>()).Returns(1);
        var cut = Render<Admin>();

        Assert.Empty(cut.FindAll($".people-grid button[aria-label='Make {_admin.FullName} an admin']"));
        cut.WaitForElement($".people-grid button[aria-label='Make {_ada.FullName} an admin']").Click();

        cut.WaitForAssertion(() => Directory.Received(1).SetAdminAsync(_ada.Id, true, Arg.Any<CancellationToken>()));
    }

    /// <summary>Issue 9 point 2: a suspended person is marked, and an admin re-enables their face sign-in after confirming.</summary>
    [Fact]
    public void A_suspended_person_is_marked_and_an_admin_re_enables_face_sign_in_after_confirming()
    {
        var suspended = _ada with { FaceSignInSuspendedAt = DateTimeOffset.UtcNow, FailedNearMatches = 50 };
        Directory.ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>())
            .Returns(new PagedResult<PersonSummary>([new PersonSummary(_admin, 0, null), new PersonSummary(suspended, 1, _adaFace)], 2));
        ConfirmWith(true);
        var cut = Render<Admin>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".people-grid .suspended-chip")));
        Assert.Empty(cut.FindAll($".people-grid button[aria-label='Re-enable face sign-in for {_admin.FullName}']"));
        cut.Find($".people-grid button[aria-label='Re-enable face sign-in for {_ada.FullName}']").Click();

        cut.WaitForAssertion(() => Directory.Received(1).EnableFaceSignInAsync(_ada.Id, Arg.Any<CancellationToken>()));
        _dialogs.Received(1).ShowMessageBoxAsync(
            "Re-enable face sign-in?", Arg.Any<string>(), "Re-enable", Arg.Any<string?>(), "Cancel", Arg.Any<DialogOptions?>());
    }

    [Fact]
    public void An_admin_who_lost_the_role_cannot_re_enable_face_sign_in()
    {
        Directory.ListPeopleAsync(Arg.Any<PeopleQuery>(), Arg.Any<CancellationToken>())
            .Returns(new PagedResult<PersonSummary>([new PersonSummary(_ada with { FaceSignInSuspendedAt = DateTimeOffset.UtcNow }, 1, _adaFace)], 1));
        ConfirmWith(true);
        var cut = Render<Admin>();
        var reEnable = cut.WaitForElement($".people-grid button[aria-label='Re-enable face sign-in for {_ada.FullName}']");
        Directory.GetPersonAsync(_admin.Id, Arg.Any<CancellationToken>()).Returns(_admin with { IsAdmin = false });

        reEnable.Click();

        cut.WaitForAssertion(() => Assert.Single(Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>().History));
        Directory.DidNotReceive().EnableFaceSignInAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void The_attempts_tab_lists_attempts_from_the_server_with_names_of_known_people()
    {
        var cut = Render<Admin>();

        cut.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Sign-in attempts", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".attempts-grid tbody tr.mud-table-row").Count));
        var rows = cut.FindAll(".attempts-grid tbody tr.mud-table-row");
        Assert.Contains("Ada Lovelace", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Signed in", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("96.5", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Not recognised", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("10.0.0.9", rows[1].TextContent, StringComparison.Ordinal);
        // The admin sees which liveness check refused (the person was told only what to do).
        Assert.Contains("Not live: flat picture", rows[2].TextContent, StringComparison.Ordinal);
        Directory.Received().ListLoginAttemptsAsync(new PageRequest(0, 10), Arg.Any<CancellationToken>());
    }

    /// <summary>Replaces the snackbar so a test can see what the page said; call before rendering.</summary>
    private ISnackbar SubstituteSnackbar()
    {
        var snackbar = Substitute.For<ISnackbar>();
        Services.AddSingleton(snackbar);
        return snackbar;
    }

    private void ConfirmWith(bool? answer) =>
        _dialogs.ShowMessageBoxAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<string?>(), Arg.Any<DialogOptions?>())
            .Returns(answer);

    private static Person NewPerson(string name, bool isAdmin) =>
        new(Guid.NewGuid(), name, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(-1), "2026-11-27", isAdmin, null);
}
