namespace AnalyticsHub.Metrics;

/// <summary>A snapshot of a <see cref="WindowedAggregator"/>'s counters.</summary>
public sealed record WindowedAggregatorStatistics
{
    /// <summary>Gets the number of series tracked.</summary>
    public required int Keys { get; init; }

    /// <summary>Gets the number of points added to windows.</summary>
    public required long Recorded { get; init; }

    /// <summary>Gets the number of points refused because their window had closed.</summary>
    public required long Late { get; init; }

    /// <summary>Gets the number of NaN or infinite values refused.</summary>
    public required long InvalidValues { get; init; }

    /// <summary>Gets the number of points or registrations refused because the series limit was reached.</summary>
    public required long KeyLimitRejections { get; init; }

    /// <summary>Gets the number of finest windows open (per writer shard) plus coarser windows being rolled up.</summary>
    public required int OpenWindows { get; init; }

    /// <summary>Gets the number of windows delivered to the sink, at every size.</summary>
    public required long ClosedWindows { get; init; }

    /// <summary>Gets the number of writer shards (one per thread that has recorded).</summary>
    public required int Shards { get; init; }

    /// <summary>Gets the watermark (largest event time seen minus the allowed lateness), or <see langword="null"/> before the first point.</summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>Gets the instant up to which every window is closed, or <see langword="null"/> before the first point.</summary>
    public DateTimeOffset? ClosedUpTo { get; init; }
}
