using System.Text.Json.Serialization;

namespace AnalyticsHub.Metrics;

/// <summary>A value that goes up and down (<c>metric_type</c> <c>gauge</c>).</summary>
public sealed record GaugeMetric : Metric
{
    /// <summary>Gets the current value.</summary>
    public required double Value { get; init; }

    /// <summary>Gets the previous value, if known (left out of the JSON when absent).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PreviousValue { get; init; }
}
