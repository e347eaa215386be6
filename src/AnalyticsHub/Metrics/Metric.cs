using System.Collections.ObjectModel;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Metrics;

/// <summary>
/// A metric on the wire (the spec's <c>MetricType</c>): a counter, gauge, histogram or summary,
/// internally tagged by <c>metric_type</c>.
/// </summary>
/// <remarks>The tag may appear anywhere in the object on input; it is written first.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "metric_type")]
[JsonDerivedType(typeof(CounterMetric), "counter")]
[JsonDerivedType(typeof(GaugeMetric), "gauge")]
[JsonDerivedType(typeof(HistogramMetric), "histogram")]
[JsonDerivedType(typeof(SummaryMetric), "summary")]
public abstract record Metric
{
    // The source-generated reader passes null to an init-only member whose key is missing; an explicit
    // JSON null is rejected before that (RespectNullableAnnotations), so null here means "default".
    private readonly IReadOnlyDictionary<string, string> _tags = EmptyTags;

    /// <summary>Gets the empty tag map, the default of every <c>tags</c> field.</summary>
    internal static IReadOnlyDictionary<string, string> EmptyTags { get; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Gets the metric name.</summary>
    [JsonPropertyOrder(-1)]
    public required string Name { get; init; }

    /// <summary>Gets the tags (empty by default; <c>null</c> is rejected on input).</summary>
    [JsonPropertyOrder(10)]
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = value ?? EmptyTags;
    }

    /// <summary>Gets when the metric was observed (UTC).</summary>
    [JsonPropertyOrder(11)]
    public required DateTimeOffset Timestamp { get; init; }
}
