using System.Text.Json.Serialization;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>The summary statistics of a set of values, as carried by histogram and summary metrics on the wire.</summary>
/// <remarks>
/// The default (empty) value is all zeros with no standard deviation, as the producers write it.
/// Percentiles built by <see cref="From"/> come from a <see cref="QuantileSketch"/> and carry its
/// relative-error bound (spec decision 10); the other members are exact or compensated sums.
/// </remarks>
public sealed record StatisticalMeasures
{
    /// <summary>Gets the empty value: all zeros and no standard deviation.</summary>
    public static StatisticalMeasures Empty { get; } = new();

    /// <summary>Gets the arithmetic mean.</summary>
    [JsonPropertyName("avg")]
    [JsonRequired]
    public double Avg { get; init; }

    /// <summary>Gets the smallest value.</summary>
    [JsonPropertyName("min")]
    [JsonRequired]
    public double Min { get; init; }

    /// <summary>Gets the largest value.</summary>
    [JsonPropertyName("max")]
    [JsonRequired]
    public double Max { get; init; }

    /// <summary>Gets the median .</summary>
    [JsonPropertyName("p50")]
    [JsonRequired]
    public double P50 { get; init; }

    /// <summary>Gets the 95th percentile .</summary>
    [JsonPropertyName("p95")]
    [JsonRequired]
    public double P95 { get; init; }

    /// <summary>Gets the 99th percentile .</summary>
    [JsonPropertyName("p99")]
    [JsonRequired]
    public double P99 { get; init; }

    /// <summary>Gets the sample standard deviation (n - 1), or <see langword="null"/> with fewer than two values.</summary>
    [JsonPropertyName("stddev")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? StdDev { get; init; }

    /// <summary>Gets the number of values.</summary>
    [JsonPropertyName("count")]
    [JsonRequired]
    public ulong Count { get; init; }

    /// <summary>Gets the sum of the values.</summary>
    [JsonPropertyName("sum")]
    [JsonRequired]
    public double Sum { get; init; }

    /// <summary>Builds the measures from running statistics and a quantile sketch of the same values.</summary>
    /// <param name="stats">The running statistics: count, sum, mean, extremes and standard deviation.</param>
    /// <param name="sketch">The sketch the percentiles are read from.</param>
    /// <returns>The measures, or <see cref="Empty"/> when no value was recorded.</returns>
    public static StatisticalMeasures From(in StreamingStats stats, QuantileSketch sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        if (stats.Count == 0)
        {
            return Empty;
        }

        var empty = sketch.Count == 0;
        return new StatisticalMeasures
        {
            Avg = stats.Mean,
            Min = stats.Min,
            Max = stats.Max,
            P50 = empty ? 0 : sketch.Quantile(0.50),
            P95 = empty ? 0 : sketch.Quantile(0.95),
            P99 = empty ? 0 : sketch.Quantile(0.99),
            StdDev = stats.Count < 2 ? null : stats.StandardDeviation,
            Count = stats.Count,
            Sum = stats.Sum,
        };
    }
}
