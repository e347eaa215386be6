using System.Text.Json.Serialization;

namespace AnalyticsHub.Metrics;

/// <summary>A monotonically counted quantity (<c>metric_type</c> <c>counter</c>).</summary>
public sealed record CounterMetric : Metric
{
    /// <summary>Gets the count.</summary>
    public required ulong Value { get; init; }

    /// <summary>Gets the rate per second, if known (left out of the JSON when absent).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Rate { get; init; }
}
