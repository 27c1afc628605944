namespace FaceLogin.Web.Security;

/// <summary>
/// Weighted entries per client address over a sliding window: the bookkeeping behind <see cref="SignUpThrottle"/> (each
/// sign-up weighs 1) and <see cref="FaceWorkMeter"/> (each image weighs its cost). Not thread-safe: its owner locks.
/// </summary>
/// <remarks>
/// A sliding log, not a fixed window: a fixed window lets a script spend the whole allowance just before a window ends and
/// again just after, twice the limit within seconds. Here each entry is kept until it is a window old, so no span of one window
/// ever holds more than the limit. Memory is at most the limit's worth of entries per address seen in the last window;
/// addresses whose entries have all expired are dropped once per window.
/// </remarks>
internal sealed class AddressSlidingLog
{
    private readonly Dictionary<string, Entries> _byAddress = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public int AddressCount => _byAddress.Count;

    /// <summary>
    /// Adds an entry of <paramref name="weight"/> when the address's entries within the window leave room for it under
    /// <paramref name="limit"/>; otherwise adds nothing and says when there will be room.
    /// </summary>
    public bool TryAdd(string address, int weight, int limit, DateTimeOffset now, TimeSpan window, out TimeSpan retryAfter)
    {
        SweepExpiredAddresses(now, window);
        if (!_byAddress.TryGetValue(address, out var entries))
        {
            entries = new Entries();
            _byAddress[address] = entries;
        }

        entries.DropExpired(now, window);
        if (entries.Total + weight > limit)
        {
            retryAfter = entries.TimeUntilRoomFor(weight, limit, now, window);
            return false;
        }

        entries.Add(now, weight);
        retryAfter = TimeSpan.Zero;
        return true;
    }

    private void SweepExpiredAddresses(DateTimeOffset now, TimeSpan window)
    {
        if (now - _lastSweep < window)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (address, entries) in _byAddress)
        {
            entries.DropExpired(now, window);
            if (entries.Total == 0)
            {
                _byAddress.Remove(address);
            }
        }
    }

    private sealed class Entries
    {
        private readonly Queue<(DateTimeOffset At, int Weight)> _entries = new();

        public int Total { get; private set; }

        public void Add(DateTimeOffset at, int weight)
        {
            _entries.Enqueue((at, weight));
            Total += weight;
        }

        public void DropExpired(DateTimeOffset now, TimeSpan window)
        {
            while (_entries.TryPeek(out var oldest) && oldest.At <= now - window)
            {
                Total -= _entries.Dequeue().Weight;
            }
        }

        /// <summary>When enough of the oldest entries will have left the window to admit <paramref name="weight"/> (a weight over the limit: one window).</summary>
        public TimeSpan TimeUntilRoomFor(int weight, int limit, DateTimeOffset now, TimeSpan window)
        {
            var remaining = Total;
            foreach (var (at, entryWeight) in _entries)
            {
                remaining -= entryWeight;
                if (remaining + weight <= limit)
                {
                    return at + window - now;
                }
            }

            return window;
        }
    }
}
