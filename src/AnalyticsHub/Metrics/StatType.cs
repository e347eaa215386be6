using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metrics;

/// <summary>A statistic a metric query asks for, or a composite component reads from a window (wire: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<StatType>))]
public enum StatType
{
    /// <summary>The arithmetic mean.</summary>
    Avg,

    /// <summary>The smallest value.</summary>
    Min,

    /// <summary>The largest value.</summary>
    Max,

    /// <summary>The median.</summary>
    [JsonStringEnumMemberName("p50")]
    P50,

    /// <summary>The 95th percentile.</summary>
    [JsonStringEnumMemberName("p95")]
    P95,

    /// <summary>The 99th percentile.</summary>
    [JsonStringEnumMemberName("p99")]
    P99,

    /// <summary>The sample standard deviation.</summary>
    [JsonStringEnumMemberName("stddev")]
    StdDev,

    /// <summary>The number of values.</summary>
    Count,

    /// <summary>The sum of the values.</summary>
    Sum,

    /// <summary>Values per second over the window.</summary>
    Rate,
}
