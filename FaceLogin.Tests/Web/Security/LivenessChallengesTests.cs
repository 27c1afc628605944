using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Web.Security;

public sealed class LivenessChallengesTests
{
    private const string Browser = "antiforgery-cookie-of-this-browser";

    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EphemeralDataProtectionProvider _keys = new();

    [Fact]
    public void A_token_gives_back_the_challenge_it_was_issued_for()
    {
        var challenges = Create();
        var (issued, token) = challenges.Issue(Browser);

        var redeemed = challenges.Redeem(token, Browser);

        Assert.NotNull(redeemed);
        Assert.Equal(issued.Id, redeemed.Id);
        Assert.Equal(issued.Steps, redeemed.Steps);
        Assert.Equal(issued.IssuedAt, redeemed.IssuedAt);
        Assert.Equal(issued.ExpiresAt, redeemed.ExpiresAt);
    }

    [Fact]
    public void A_token_works_once()
    {
        var challenges = Create();
        var (_, token) = challenges.Issue(Browser);
        Assert.NotNull(challenges.Redeem(token, Browser));

        Assert.Null(challenges.Redeem(token, Browser));
    }

    [Fact]
    public void Concurrent_redemptions_of_one_token_let_exactly_one_through()
    {
        var challenges = Create();
        var (_, token) = challenges.Issue(Browser);

        var results = Enumerable.Range(0, 16).AsParallel().Select(_ => challenges.Redeem(token, Browser)).ToList();

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var challenges = Create(TimeSpan.FromSeconds(30));
        var (_, token) = challenges.Issue(Browser);

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Null(challenges.Redeem(token, Browser));
    }

    [Fact]
    public void A_token_within_its_lifetime_is_accepted()
    {
        var challenges = Create(TimeSpan.FromSeconds(30));
        var (_, token) = challenges.Issue(Browser);

        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.NotNull(challenges.Redeem(token, Browser));
    }

    [Fact]
    public void An_altered_token_is_refused()
    {
        var challenges = Create();
        var (_, token) = challenges.Issue(Browser);
        var altered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Null(challenges.Redeem(altered, Browser));
    }

    [Fact]
    public void A_token_from_another_browser_is_refused_and_stays_usable_by_its_own()
    {
        var challenges = Create();
        var (_, token) = challenges.Issue(Browser);

        Assert.Null(challenges.Redeem(token, "antiforgery-cookie-of-another-browser"));
        Assert.NotNull(challenges.Redeem(token, Browser));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_binding_is_refused(string? binding)
    {
        var challenges = Create();
        var (_, token) = challenges.Issue(Browser);

        Assert.Null(challenges.Redeem(token, binding));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("abcde")]
    [InlineData("%%%%")]
    public void Garbage_is_refused(string? token) => Assert.Null(Create().Redeem(token, Browser));

    [Fact]
    public void Data_protected_for_another_purpose_is_not_a_challenge()
    {
        var challenges = Create();
        var (issued, _) = challenges.Issue(Browser);
        // A well-formed payload for a challenge that is outstanding, protected under another purpose (e.g. a sign-in ticket's).
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Browser)));
        var payload = $"{issued.Id:N}.{string.Join(',', issued.Steps)}.{issued.IssuedAt.UtcTicks}.{issued.ExpiresAt.UtcTicks}.{hash}";
        var other = _keys.CreateProtector("FaceLogin.SignInTicket.v1").ToTimeLimitedDataProtector().Protect(payload, issued.ExpiresAt);

        Assert.Null(challenges.Redeem(other, Browser));
    }

    [Fact]
    public void Another_instance_with_other_keys_cannot_redeem_it()
    {
        var (_, token) = Create().Issue(Browser);
        var elsewhere = new LivenessChallenges(new EphemeralDataProtectionProvider(), _time, Factory(TimeSpan.FromSeconds(60)));

        Assert.Null(elsewhere.Redeem(token, Browser));
    }

    [Fact]
    public void An_issue_without_a_binding_is_an_error() => Assert.ThrowsAny<ArgumentException>(() => Create().Issue(""));

    private LivenessChallenges Create(TimeSpan? lifetime = null) => new(_keys, _time, Factory(lifetime ?? TimeSpan.FromSeconds(60)));

    private HeadMovementChallengeFactory Factory(TimeSpan lifetime) =>
        new(_time, Options.Create(new HeadMovementChallengeOptions { Lifetime = lifetime }));
}
