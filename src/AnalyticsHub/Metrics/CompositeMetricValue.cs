namespace AnalyticsHub.Metrics;

/// <summary>A computed composite metric and the values of its definition's dimensions (empty without dimensions).</summary>
/// <param name="Metric">The composite metric.</param>
/// <param name="Tags">The dimension values.</param>
public sealed record CompositeMetricValue(CompositeMetric Metric, IReadOnlyDictionary<string, string> Tags);
