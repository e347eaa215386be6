namespace AnalyticsHub.Metrics;

/// <summary>A rollup rule: build <see cref="TargetWindow"/> windows from <see cref="SourceWindow"/> windows and keep them for a number of days.</summary>
public sealed record MetricRollup
{
    /// <summary>Gets the finer window read.</summary>
    public required TimeWindow SourceWindow { get; init; }

    /// <summary>Gets the coarser window written.</summary>
    public required TimeWindow TargetWindow { get; init; }

    /// <summary>Gets how source windows are combined.</summary>
    public required MetricAggregationFunction Aggregation { get; init; }

    /// <summary>Gets how many days the rolled-up windows are kept.</summary>
    public required uint RetentionDays { get; init; }
}
