using FaceLogin.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Web.Security;

public sealed class SignInTicketsTests
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EphemeralDataProtectionProvider _keys = new();

    [Fact]
    public void A_ticket_names_the_person_it_was_issued_for()
    {
        var tickets = Create();
        var personId = Guid.NewGuid();

        Assert.Equal(personId, tickets.Redeem(tickets.Issue(personId)));
    }

    [Fact]
    public void A_ticket_works_once()
    {
        var tickets = Create();
        var ticket = tickets.Issue(Guid.NewGuid());
        Assert.NotNull(tickets.Redeem(ticket));

        Assert.Null(tickets.Redeem(ticket));
    }

    [Fact]
    public void Concurrent_redemptions_of_one_ticket_let_exactly_one_through()
    {
        var tickets = Create();
        var ticket = tickets.Issue(Guid.NewGuid());

        var results = Enumerable.Range(0, 16).AsParallel().Select(_ => tickets.Redeem(ticket)).ToList();

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public void An_expired_ticket_is_refused()
    {
        var tickets = Create(ttlSeconds: 30);
        var ticket = tickets.Issue(Guid.NewGuid());

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Null(tickets.Redeem(ticket));
    }

    [Fact]
    public void A_ticket_within_its_lifetime_is_accepted()
    {
        var tickets = Create(ttlSeconds: 30);
        var ticket = tickets.Issue(Guid.NewGuid());

        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.NotNull(tickets.Redeem(ticket));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-ticket")]
    [InlineData("abcde")] // not base64url: a length no encoding gives
    [InlineData("%%%%")]
    public void Garbage_is_refused(string? ticket) => Assert.Null(Create().Redeem(ticket));

    [Fact]
    public void An_altered_ticket_is_refused()
    {
        var tickets = Create();
        var ticket = tickets.Issue(Guid.NewGuid());
        var altered = ticket[..^2] + (ticket[^2] == 'A' ? "B" : "A") + ticket[^1];

        Assert.Null(tickets.Redeem(altered));
    }

    [Fact]
    public void Data_protected_for_another_purpose_is_not_a_ticket()
    {
        var tickets = Create();
        var other = _keys.CreateProtector("FaceLogin.SomethingElse").ToTimeLimitedDataProtector()
            .Protect($"{Guid.NewGuid():N}.{new string('A', 32)}", DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.Null(tickets.Redeem(other));
    }

    [Fact]
    public void Another_instance_with_other_keys_cannot_redeem_it()
    {
        var ticket = Create().Issue(Guid.NewGuid());
        var elsewhere = new SignInTickets(new EphemeralDataProtectionProvider(), _time, Options.Create(new FaceLoginWebOptions()));

        Assert.Null(elsewhere.Redeem(ticket));
    }

    private SignInTickets Create(int ttlSeconds = 60) =>
        new(_keys, _time, Options.Create(new FaceLoginWebOptions { SignInTicketSeconds = ttlSeconds }));
}
