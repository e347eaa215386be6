using System.Text.Json.Serialization;

namespace AnalyticsHub.Statistics;

/// <summary>One bucket of a histogram metric: how many values fell at or below its upper bound and above the previous bucket's.</summary>
/// <remarks>Counts are per bucket, not cumulative, and <see cref="UpperBound"/> is inclusive (spec decision 13).</remarks>
/// <param name="UpperBound">The inclusive upper bound of the bucket.</param>
/// <param name="Count">The number of values in the bucket.</param>
public readonly record struct HistogramBucket(
    [property: JsonPropertyName("upper_bound")] double UpperBound,
    [property: JsonPropertyName("count")] ulong Count);
