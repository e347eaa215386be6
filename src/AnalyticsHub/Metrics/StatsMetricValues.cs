namespace AnalyticsHub.Metrics;

/// <summary>Metric values that are summary statistics; the JSON is the <see cref="StatisticalMeasures"/> object itself.</summary>
/// <param name="Stats">The statistics.</param>
public sealed record StatsMetricValues(StatisticalMeasures Stats) : MetricValues;
