using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics.Json;

namespace AnalyticsHub.Metrics;

/// <summary>The System.Text.Json source-generated context of the metric wire types (spec 1.4).</summary>
/// <remarks>
/// Skipped optionals (<c>rate</c>, <c>previous_value</c>, <c>percentiles</c>, <c>stddev</c>) are left
/// out when absent; the others (<c>window</c>, <c>weight</c>, <c>delta</c>, the cross-module values)
/// are written as <c>null</c>. Required keys must be present, <c>null</c> is rejected where the type is
/// not optional (including the defaulted maps and lists), duplicate keys are rejected, unknown keys
/// are ignored and the <c>metric_type</c> tag may come anywhere in its object.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    AllowDuplicateProperties = false,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(RfcTimestampJsonConverter), typeof(FiniteDoubleJsonConverter)])]
[JsonSerializable(typeof(Metric))]
[JsonSerializable(typeof(CounterMetric))]
[JsonSerializable(typeof(GaugeMetric))]
[JsonSerializable(typeof(HistogramMetric))]
[JsonSerializable(typeof(SummaryMetric))]
[JsonSerializable(typeof(IReadOnlyList<Metric>))]
[JsonSerializable(typeof(AggregatedMetric))]
[JsonSerializable(typeof(IReadOnlyList<AggregatedMetric>))]
[JsonSerializable(typeof(MetricValues))]
[JsonSerializable(typeof(StatisticalMeasures))]
[JsonSerializable(typeof(MetricQuery))]
[JsonSerializable(typeof(MetricRollup))]
[JsonSerializable(typeof(CompositeMetric))]
[JsonSerializable(typeof(ComponentMetric))]
[JsonSerializable(typeof(CrossModuleMetrics))]
[JsonSerializable(typeof(TimeRange))]
[JsonSerializable(typeof(TimeWindow))]
[JsonSerializable(typeof(StatType))]
[JsonSerializable(typeof(MetricAggregationFunction))]
public sealed partial class MetricsJsonContext : JsonSerializerContext
{
    private static readonly Lazy<MetricsJsonContext> LazyWire = new(CreateWire);

    /// <summary>
    /// Gets the context to write with: the same settings as <c>Default</c>, without HTML escaping of
    /// &lt;, &gt;, &amp;, ' and non-ASCII letters, as the producers write (decision 6).
    /// </summary>
    public static MetricsJsonContext Wire => LazyWire.Value;

    private static MetricsJsonContext CreateWire() => new(WireJsonOptions.Relaxed(Default.Options));
}
