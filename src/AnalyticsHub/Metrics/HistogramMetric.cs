using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>A distribution with explicit buckets (<c>metric_type</c> <c>histogram</c>).</summary>
/// <remarks>Bucket counts are per bucket, upper bounds inclusive (decision 13).</remarks>
public sealed record HistogramMetric : Metric
{
    /// <summary>Gets the summary statistics of the values.</summary>
    public required StatisticalMeasures Stats { get; init; }

    /// <summary>Gets the buckets, in increasing upper-bound order.</summary>
    public required IReadOnlyList<HistogramBucket> Buckets { get; init; }
}
