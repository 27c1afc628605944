namespace FaceLogin.Domain.Authentication;

/// <summary>
/// Whether one client address may ask the collection a face question now (docs/architecture.md, "Throttling"). Pure: the
/// directory reads the address's ledger, asks <see cref="Decide"/>, and records the attempt in the same atomic step, so both
/// directories apply exactly this rule.
/// </summary>
/// <remarks>
/// <para>
/// A <em>miss</em> is a face question that did not sign anybody in (<see cref="Ports.LoginOutcomeExtensions.CountsTowardsLockOut"/>),
/// or an attempt still in progress (it may become one; one older than <see cref="AuthenticationOptions.MaxRequestAge"/> is a dead
/// request and counts no more). Misses count for <see cref="AuthenticationOptions.LockOutWindow"/>, then are forgotten.
/// </para>
/// <para>
/// With n misses counting: fewer than <see cref="AuthenticationOptions.MaxFailedAttempts"/> (5), the address is free. From then
/// on it is <em>delayed</em> until its newest miss plus <see cref="Delay"/>(n) = min(MaxDelay, FirstDelay · 2^(n − 5)): 30 s after
/// the fifth miss, doubling with each further one, at most 15 min. While delayed the address still gets one face question per
/// <see cref="AuthenticationOptions.DelayedSearchInterval"/> (measured from the start of its previous one, whatever its answer):
/// a person behind an address that others' misses delay still signs in after at most that wait, and every miss in it makes
/// the delay longer. So an address gets at most 5 + 1 + T / DelayedSearchInterval face questions in any time T (the one: the
/// question after the first delay, which is shorter than the interval by default).
/// </para>
/// </remarks>
public sealed class AddressThrottle(AuthenticationOptions settings)
{
    public AuthenticationOptions Settings { get; } = settings;

    /// <summary>Recorded misses older than this (before <c>now</c>) count no more.</summary>
    public DateTimeOffset MissesSince(DateTimeOffset now) => now - Settings.LockOutWindow;

    /// <summary>Attempts in progress that started before this are dead requests and count no more.</summary>
    public DateTimeOffset InProgressSince(DateTimeOffset now) => now - Settings.MaxRequestAge;

    /// <summary>The wait after the newest of <paramref name="misses"/> misses; zero below the free allowance.</summary>
    public TimeSpan Delay(int misses)
    {
        var free = Settings.MaxFailedAttempts;
        if (misses < free)
        {
            return TimeSpan.Zero;
        }

        // 2^(n − free) overflows nothing: past the cap the exponent no longer matters.
        var doublings = Math.Min(misses - free, 40);
        var delay = Settings.FirstDelay.TotalSeconds * Math.Pow(2, doublings);
        return delay >= Settings.MaxDelay.TotalSeconds ? Settings.MaxDelay : TimeSpan.FromSeconds(delay);
    }

    /// <param name="missTimes">When each miss that still counts started (recorded within the window, in progress and alive).</param>
    /// <param name="lastQuestionAt">When the address's newest face question (of any answer, or in progress) started, if any.</param>
    public ThrottleDecision Decide(IReadOnlyCollection<DateTimeOffset> missTimes, DateTimeOffset? lastQuestionAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(missTimes);
        if (missTimes.Count < Settings.MaxFailedAttempts)
        {
            return ThrottleDecision.Admitted;
        }

        var delayedUntil = missTimes.Max() + Delay(missTimes.Count);
        if (now >= delayedUntil)
        {
            return ThrottleDecision.Admitted;
        }

        var laneOpensAt = (lastQuestionAt ?? DateTimeOffset.MinValue) + Settings.DelayedSearchInterval;
        if (lastQuestionAt is null || now >= laneOpensAt)
        {
            return ThrottleDecision.Admitted;
        }

        var wait = (laneOpensAt < delayedUntil ? laneOpensAt : delayedUntil) - now;
        return new ThrottleDecision(false, wait);
    }
}

/// <param name="RetryAfter">When refused, how long until the address may ask again (at least a second); zero when admitted.</param>
public readonly record struct ThrottleDecision(bool IsAdmitted, TimeSpan RetryAfter)
{
    public static ThrottleDecision Admitted { get; } = new(true, TimeSpan.Zero);

    /// <summary>Whole seconds, rounded up: what a Retry-After header and a message say.</summary>
    public int RetryAfterSeconds => IsAdmitted ? 0 : Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
