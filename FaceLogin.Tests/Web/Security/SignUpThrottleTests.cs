using FaceLogin.Web.Security;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Web.Security;

/// <summary>The sign-up throttle on a clock the test moves: a sliding window, so no span of one window holds more than the limit.</summary>
public sealed class SignUpThrottleTests
{
    private const int Limit = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(600);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void No_double_burst_at_a_window_edge()
    {
        var throttle = Create();
        // A fixed window that started with the first request would reset at 600 s; spending the allowance just before that
        // and again just after would give twice the limit within two seconds.
        Assert.True(throttle.TryAcquire("203.0.113.5"));
        _time.Advance(Window - TimeSpan.FromSeconds(2));
        for (var i = 1; i < Limit; i++)
        {
            Assert.True(throttle.TryAcquire("203.0.113.5"));
        }

        _time.Advance(TimeSpan.FromSeconds(3));

        // The first attempt has left the window, so exactly one more is allowed; the other nine are still in it.
        Assert.True(throttle.TryAcquire("203.0.113.5"));
        Assert.False(throttle.TryAcquire("203.0.113.5"));

        // The nine at 598 s leave at 1198 s, the one at 601 s only at 1201 s.
        _time.Advance(Window - TimeSpan.FromSeconds(4));
        Assert.False(throttle.TryAcquire("203.0.113.5"));
        _time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 1; i < Limit; i++)
        {
            Assert.True(throttle.TryAcquire("203.0.113.5"));
        }

        Assert.False(throttle.TryAcquire("203.0.113.5"));
    }

    [Fact]
    public void Each_address_has_its_own_allowance()
    {
        var throttle = Create();
        for (var i = 0; i < Limit; i++)
        {
            Assert.True(throttle.TryAcquire("203.0.113.5"));
        }

        Assert.False(throttle.TryAcquire("203.0.113.5"));
        Assert.True(throttle.TryAcquire("198.51.100.8"));
    }

    [Fact]
    public void Addresses_whose_attempts_have_all_left_the_window_are_forgotten()
    {
        var throttle = Create();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(throttle.TryAcquire($"198.51.100.{i}"));
        }

        Assert.Equal(50, throttle.AddressCount);
        _time.Advance(Window);

        Assert.True(throttle.TryAcquire("203.0.113.5"));
        Assert.Equal(1, throttle.AddressCount);
    }

    private SignUpThrottle Create() =>
        new(Options.Create(new FaceLoginWebOptions { SignUpPermitLimit = Limit, SignUpWindowSeconds = (int)Window.TotalSeconds }), _time);
}
