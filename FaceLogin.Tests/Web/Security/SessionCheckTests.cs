using FaceLogin.Domain.Administration;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace FaceLogin.Tests.Web.Security;

/// <summary>
/// What a signed-in principal is worth against the directory now: the per-request cookie check and the periodic check of
/// open interactive sessions, over the real administration service with a substituted directory.
/// </summary>
public sealed class SessionCheckTests
{
    private readonly IFaceDirectory _directory = Substitute.For<IFaceDirectory>();
    private readonly Person _person = new(Guid.NewGuid(), "Ada Lovelace", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "v", false, null);
    private readonly FaceLoginOptions _options = new();
    private readonly ServiceProvider _services;

    public SessionCheckTests()
    {
        _directory.GetFacesAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>()).Returns([]);
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(Substitute.For<IFaceCollection>())
            .AddSingleton(Substitute.For<IFaceImageStore>())
            .AddSingleton(_directory)
            .AddSingleton(Options.Create(_options))
            .AddSingleton<AdministrationService>()
            .AddScoped<PersonSessionCheck>()
            .BuildServiceProvider();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unchanged_person_keeps_the_same_principal()
    {
        PersonIs(_person);
        var user = FaceLoginClaims.CreatePrincipal(_person, isAdmin: false);

        Assert.Same(user, await Check().RefreshAsync(user, Cancel));
        Assert.True(await Provider().IsStillValidAsync(user, Cancel));
    }

    [Fact]
    public async Task A_deleted_person_has_no_principal_any_more()
    {
        PersonIs(null);
        var user = FaceLoginClaims.CreatePrincipal(_person, isAdmin: false);

        Assert.Null(await Check().RefreshAsync(user, Cancel));
        Assert.False(await Provider().IsStillValidAsync(user, Cancel));
    }

    [Fact]
    public async Task A_promoted_person_gets_the_admin_role_at_the_next_request_and_keeps_their_open_pages()
    {
        PersonIs(_person with { IsAdmin = true });
        var user = FaceLoginClaims.CreatePrincipal(_person, isAdmin: false);

        var refreshed = await Check().RefreshAsync(user, Cancel);

        Assert.NotNull(refreshed);
        Assert.True(refreshed.IsAdmin());
        Assert.Equal(_person.Id, refreshed.GetPersonId());
        Assert.True(await Provider().IsStillValidAsync(user, Cancel));
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_role_and_their_open_pages()
    {
        PersonIs(_person);
        var user = FaceLoginClaims.CreatePrincipal(_person, isAdmin: true);

        var refreshed = await Check().RefreshAsync(user, Cancel);

        Assert.False(refreshed!.IsAdmin());
        Assert.False(await Provider().IsStillValidAsync(user, Cancel));
    }

    [Fact]
    public async Task A_person_id_in_the_admins_setting_counts_as_admin_and_a_name_does_not()
    {
        _options.Admins.Add("ada lovelace");
        PersonIs(_person);
        Assert.False((await Check().RefreshAsync(FaceLoginClaims.CreatePrincipal(_person, isAdmin: false), Cancel))!.IsAdmin());

        _options.Admins.Add(_person.Id.ToString());
        PersonIs(_person);
        var user = FaceLoginClaims.CreatePrincipal(_person, isAdmin: false);

        Assert.True((await Check().RefreshAsync(user, Cancel))!.IsAdmin());
    }

    [Fact]
    public async Task A_principal_issued_before_the_person_signed_out_is_worthless_and_ends_open_pages()
    {
        PersonIs(_person with { SessionVersion = 3 });
        var before = FaceLoginClaims.CreatePrincipal(_person with { SessionVersion = 2 }, isAdmin: false);
        var current = FaceLoginClaims.CreatePrincipal(_person with { SessionVersion = 3 }, isAdmin: false);

        Assert.Null(await Check().RefreshAsync(before, Cancel));
        Assert.False(await Provider().IsStillValidAsync(before, Cancel));
        Assert.Same(current, await Check().RefreshAsync(current, Cancel));
        Assert.True(await Provider().IsStillValidAsync(current, Cancel));
    }

    [Fact]
    public async Task A_principal_with_a_version_the_directory_never_reached_or_none_at_all_is_worthless()
    {
        PersonIs(_person);
        var ahead = FaceLoginClaims.CreatePrincipal(_person with { SessionVersion = 1 }, isAdmin: false);
        var withoutVersion = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            FaceLoginClaims.CreatePrincipal(_person, isAdmin: false).Claims.Where(c => c.Type != FaceLoginClaims.SessionVersionClaim),
            "Cookies"));

        Assert.Equal(_person.Id, withoutVersion.GetPersonId());
        Assert.Null(await Check().RefreshAsync(ahead, Cancel));
        Assert.Null(await Check().RefreshAsync(withoutVersion, Cancel));
    }

    [Fact]
    public async Task A_principal_of_an_earlier_person_with_the_same_id_or_without_a_registration_time_is_worthless()
    {
        // Deleted, then created again under the same id (an import): version 0 again, but registered later.
        var recreated = _person with { RegisteredAt = _person.RegisteredAt.AddMinutes(5) };
        PersonIs(recreated);
        var earlier = FaceLoginClaims.CreatePrincipal(_person, isAdmin: false);
        var withoutRegisteredAt = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            FaceLoginClaims.CreatePrincipal(recreated, isAdmin: false).Claims.Where(c => c.Type != FaceLoginClaims.RegisteredAtClaim),
            "Cookies"));
        var current = FaceLoginClaims.CreatePrincipal(recreated, isAdmin: false);

        Assert.Null(await Check().RefreshAsync(earlier, Cancel));
        Assert.False(await Provider().IsStillValidAsync(earlier, Cancel));
        Assert.Null(await Check().RefreshAsync(withoutRegisteredAt, Cancel));
        Assert.Same(current, await Check().RefreshAsync(current, Cancel));
    }

    [Fact]
    public async Task A_role_change_keeps_the_session_version_in_the_new_principal()
    {
        PersonIs(_person with { IsAdmin = true, SessionVersion = 4 });
        var user = FaceLoginClaims.CreatePrincipal(_person with { SessionVersion = 4 }, isAdmin: false);

        var refreshed = await Check().RefreshAsync(user, Cancel);

        Assert.NotNull(refreshed);
        Assert.True(refreshed.IsAdmin());
        Assert.Equal(4, refreshed.GetSessionVersion());
        Assert.Same(refreshed, await Check().RefreshAsync(refreshed, Cancel));
    }

    [Fact]
    public async Task A_principal_without_a_person_id_is_worthless()
    {
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());

        Assert.Null(await Check().RefreshAsync(anonymous, Cancel));
        await _directory.DidNotReceive().GetPersonAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>());
    }

    private void PersonIs(Person? person) =>
        _directory.GetPersonAsync(_person.Id, Arg.Any<CancellationToken>()).Returns(person);

    private PersonSessionCheck Check() => _services.CreateScope().ServiceProvider.GetRequiredService<PersonSessionCheck>();

    private PersonRevalidatingAuthenticationStateProvider Provider() => new(
        NullLoggerFactory.Instance,
        _services.GetRequiredService<IServiceScopeFactory>(),
        Options.Create(new FaceLoginWebOptions()));
}
