namespace AnalyticsHub.TimeSeries;

/// <summary>
/// One point of a time-series query result: an instant (a bucket start for aggregations) and named
/// values. Distinct from the API's single-value point (decision 18).
/// </summary>
public sealed record TimeSeriesDataPoint
{
    /// <summary>The point's instant, or the start of its time bucket.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// The values: field names for raw points; <c>{field}_{function}</c> (e.g. <c>latency_ms_p95</c>) for aggregations.
    /// A null value means "no value" (an empty bucket filled with null, or a statistic undefined for the bucket).
    /// </summary>
    public required IReadOnlyDictionary<string, FieldValue?> Values { get; init; }
}
