namespace AnalyticsHub.Metrics;

/// <summary>The values of one metric series over one window.</summary>
public sealed record AggregatedMetric
{
    private readonly IReadOnlyDictionary<string, string> _tags = Metric.EmptyTags;

    /// <summary>Gets the metric name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the window size.</summary>
    public required TimeWindow Window { get; init; }

    /// <summary>Gets the window's first instant (UTC).</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>Gets the first instant after the window (UTC).</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Gets the values: statistics, a counter or a gauge.</summary>
    public required MetricValues Values { get; init; }

    /// <summary>Gets the series tags (empty by default).</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = value ?? Metric.EmptyTags;
    }
}
