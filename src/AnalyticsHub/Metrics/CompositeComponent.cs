namespace AnalyticsHub.Metrics;

/// <summary>The definition of one input of a composite metric: which statistic of which metric's window the formula reads under which name.</summary>
public sealed record CompositeComponent
{
    /// <summary>Gets the variable name the formula uses (e.g. <c>total_cost_usd</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the module the metric comes from, reported in <see cref="ComponentMetric.SourceModule"/> (e.g. <c>llm-cost-ops</c>).</summary>
    public required string SourceModule { get; init; }

    /// <summary>Gets the metric whose windows are read; every series of the metric (all tag sets) is merged.</summary>
    public required string MetricName { get; init; }

    /// <summary>Gets the statistic of the merged window (default <see cref="StatType.Sum"/>); <see cref="StatType.Rate"/> is values per second of the window.</summary>
    public StatType Stat { get; init; } = StatType.Sum;

    /// <summary>Gets the weight reported in <see cref="ComponentMetric.Weight"/>, for weighted formulas.</summary>
    public double? Weight { get; init; }
}
