namespace AnalyticsHub.Metrics;

/// <summary>A metric computed by a formula from other metrics, possibly of several modules, for one window.</summary>
public sealed record CompositeMetric
{
    /// <summary>Gets the identifier of the composite definition.</summary>
    public required string MetricId { get; init; }

    /// <summary>Gets the metric name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets a human description.</summary>
    public required string Description { get; init; }

    /// <summary>Gets the modules the components come from (plain strings).</summary>
    public required IReadOnlyList<string> SourceModules { get; init; }

    /// <summary>Gets the component values the formula read.</summary>
    public required IReadOnlyList<ComponentMetric> Components { get; init; }

    /// <summary>Gets the computed value.</summary>
    public required double Value { get; init; }

    /// <summary>Gets the formula, in the expression language (e.g. <c>cost_per_request = total_cost_usd / request_count</c>).</summary>
    public required string Formula { get; init; }

    /// <summary>Gets the window size.</summary>
    public required TimeWindow Window { get; init; }

    /// <summary>Gets the window's start (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
