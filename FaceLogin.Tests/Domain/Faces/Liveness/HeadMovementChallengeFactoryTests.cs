using System.ComponentModel.DataAnnotations;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Domain.Faces.Liveness;

public sealed class HeadMovementChallengeFactoryTests
{
    private const int Draws = 2000;

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Every_challenge_has_two_or_three_steps_never_the_same_twice_in_a_row()
    {
        var factory = Create();

        for (var i = 0; i < Draws; i++)
        {
            var steps = factory.Create().Steps;

            Assert.InRange(steps.Count, HeadMovementChallengeFactory.MinSteps, HeadMovementChallengeFactory.MaxSteps);
            Assert.All(steps, s => Assert.True(Enum.IsDefined(s)));
            Assert.All(steps.Zip(steps.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
            if (steps.Count == 3)
            {
                Assert.Contains(HeadMovement.TurnLeft, steps);
                Assert.Contains(HeadMovement.TurnRight, steps);
            }
        }
    }

    [Fact]
    public void Lengths_and_orders_vary()
    {
        var factory = Create();

        var seen = Enumerable.Range(0, Draws).Select(_ => string.Join(',', factory.Create().Steps)).ToHashSet();

        // Every sequence the rules allow: two of length 2, two of length 3. With 2000 draws a missing one has odds < 1e-100.
        Assert.Equal(
            new HashSet<string> { "TurnLeft,TurnRight", "TurnRight,TurnLeft", "TurnLeft,TurnRight,TurnLeft", "TurnRight,TurnLeft,TurnRight" },
            seen);
    }

    [Fact]
    public void A_challenge_is_valid_for_the_configured_lifetime_from_now_with_a_fresh_id()
    {
        var factory = Create(TimeSpan.FromSeconds(45));

        var first = factory.Create();
        var second = factory.Create();

        Assert.Equal(_time.GetUtcNow(), first.IssuedAt);
        Assert.Equal(_time.GetUtcNow().AddSeconds(45), first.ExpiresAt);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void The_default_lifetime_is_a_minute() => Assert.Equal(TimeSpan.FromSeconds(60), new HeadMovementChallengeOptions().Lifetime);

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(3600)]
    public void A_lifetime_out_of_range_is_refused(int seconds)
    {
        var options = new HeadMovementChallengeOptions { Lifetime = TimeSpan.FromSeconds(seconds) };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    private HeadMovementChallengeFactory Create(TimeSpan? lifetime = null) =>
        new(_time, Options.Create(new HeadMovementChallengeOptions { Lifetime = lifetime ?? TimeSpan.FromSeconds(60) }));
}
