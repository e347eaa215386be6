namespace AnalyticsHub.Storage.InMemory;

/// <summary>Retention, layout and streaming settings of <see cref="InMemoryEventStore"/>.</summary>
public sealed record InMemoryEventStoreOptions
{
    /// <summary>The most events kept; the oldest (by arrival) are evicted beyond it. 1,000,000 by default.</summary>
    public long MaxEvents { get; init; } = 1_000_000;

    /// <summary>How long an event is kept after it was appended (clock time, from the store's <see cref="TimeProvider"/>); 7 days by default, no limit when null.</summary>
    /// <remarks>Retention is a processing-time matter (decision 14): it ages from the append, not from the event's own timestamp.</remarks>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Events per block, the unit of indexing and of dropping evicted memory; 1,024 by default, 16..65,536.</summary>
    /// <remarks>The active (newest) block keeps its indexes sorted by insertion, so larger blocks make out-of-order appends dearer.</remarks>
    public int BlockSize { get; init; } = 1024;

    /// <summary>How many of the newest sequences a resuming subscriber can replay; 10,000 by default.</summary>
    public int ReplayLimit { get; init; } = 10_000;

    /// <summary>How many data frames a subscriber may have waiting before it gets a gap; 1,024 by default.</summary>
    public int SubscriberBufferSize { get; init; } = 1024;

    /// <summary>How often subscribers get a heartbeat frame (clock time); 15 s by default, none when <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEvents, 1, nameof(MaxEvents));
        if (MaxAge is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(age, TimeSpan.Zero, nameof(MaxAge));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(age, TimeSpan.FromDays(365 * 1000), nameof(MaxAge));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSize, 16, nameof(BlockSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BlockSize, 65_536, nameof(BlockSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ReplayLimit, nameof(ReplayLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(SubscriberBufferSize, 1, nameof(SubscriberBufferSize));
        if (HeartbeatInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        }
    }
}
