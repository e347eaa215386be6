namespace AnalyticsHub.Metrics;

/// <summary>Metric values of a gauge: <c>{"value": f64, "delta": f64 or null}</c>; a missing delta is written as <c>null</c>.</summary>
/// <param name="Value">The value.</param>
/// <param name="Delta">The change since the previous value, if known.</param>
public sealed record GaugeMetricValues(double Value, double? Delta) : MetricValues;
