using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metrics;

/// <summary>How a metric rollup combines source windows (the metrics <c>AggregationFunction</c>; wire: lowercase).</summary>
/// <remarks>Named apart from the time-series aggregation function, whose wire names differ (decision 18).</remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetricAggregationFunction>))]
public enum MetricAggregationFunction
{
    /// <summary>The mean.</summary>
    Avg,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>The minimum.</summary>
    Min,

    /// <summary>The maximum.</summary>
    Max,

    /// <summary>The last value.</summary>
    Last,

    /// <summary>The first value.</summary>
    First,
}
