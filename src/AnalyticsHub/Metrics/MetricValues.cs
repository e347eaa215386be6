using System.Text.Json.Serialization;
using AnalyticsHub.Metrics.Json;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The values of an aggregated metric: statistics, a counter or a gauge. Untagged on the wire: the
/// variant is read from the keys present (decision 12).
/// </summary>
/// <remarks>
/// Reading: any of <c>avg</c>, <c>min</c>, <c>max</c>, <c>p50</c>, <c>p95</c>, <c>p99</c>,
/// <c>stddev</c>, <c>count</c>, <c>sum</c> means <see cref="StatsMetricValues"/> (all its required
/// keys must then be present); otherwise <c>rate</c> means <see cref="CounterMetricValues"/>;
/// otherwise <see cref="GaugeMetricValues"/>. Unknown keys are ignored; duplicates are rejected.
/// </remarks>
[JsonConverter(typeof(MetricValuesJsonConverter))]
public abstract record MetricValues
{
    private protected MetricValues()
    {
    }
}
