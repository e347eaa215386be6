namespace AnalyticsHub.Tests.Storage;

/// <summary>What a contract test needs a backend configured with.</summary>
public sealed record EventStoreTestSettings
{
    public required TimeProvider TimeProvider { get; init; }

    public long MaxEvents { get; init; } = 1_000_000;

    public TimeSpan? MaxAge { get; init; }

    public int SubscriberBufferSize { get; init; } = 1024;

    public int ReplayLimit { get; init; } = 10_000;

    public TimeSpan HeartbeatInterval { get; init; } = Timeout.InfiniteTimeSpan;
}
