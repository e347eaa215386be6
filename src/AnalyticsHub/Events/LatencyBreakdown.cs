namespace AnalyticsHub.Events;

/// <summary>Where the time of a request went, in milliseconds.</summary>
public sealed record LatencyBreakdown
{
    /// <summary>Time spent queued.</summary>
    public required double QueueTimeMs { get; init; }

    /// <summary>Time spent processing.</summary>
    public required double ProcessingTimeMs { get; init; }

    /// <summary>Time spent on the network.</summary>
    public required double NetworkTimeMs { get; init; }

    /// <summary>Everything else.</summary>
    public required double OtherMs { get; init; }
}
