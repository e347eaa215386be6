namespace AnalyticsHub.Metrics;

/// <summary>Metric values of a counter: <c>{"value": u64, "rate": f64}</c>.</summary>
/// <param name="Value">The count.</param>
/// <param name="Rate">The rate per second.</param>
public sealed record CounterMetricValues(ulong Value, double Rate) : MetricValues;
