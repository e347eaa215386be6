using System.Text.Json.Serialization;

namespace AnalyticsHub.Metrics;

/// <summary>A distribution summarised by statistics and named percentiles (<c>metric_type</c> <c>summary</c>).</summary>
public sealed record SummaryMetric : Metric
{
    /// <summary>Gets the summary statistics of the values.</summary>
    public required StatisticalMeasures Stats { get; init; }

    /// <summary>Gets extra percentiles by name (e.g. <c>"p999"</c>), if any (left out of the JSON when absent).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Percentiles { get; init; }
}
