namespace AnalyticsHub.TimeSeries;

/// <summary>Bounds that keep a query's memory and time in check; exceeding one is a clear error (or truncation for raw points).</summary>
public sealed record TimeSeriesQueryLimits
{
    /// <summary>The most time buckets per query (range / window). Default 100,000.</summary>
    public int MaxBuckets { get; init; } = 100_000;

    /// <summary>The most tag groups per query. Default 10,000.</summary>
    public int MaxGroups { get; init; } = 10_000;

    /// <summary>The most (group, bucket) cells per query. Default 2,000,000.</summary>
    public int MaxCells { get; init; } = 2_000_000;

    /// <summary>The most points returned in one result; raw results beyond it are truncated with a warning. Default 1,000,000.</summary>
    public int MaxResultPoints { get; init; } = 1_000_000;

    /// <summary>The most aggregations, fields or tag conditions in one query. Default 64 each.</summary>
    public int MaxTerms { get; init; } = 64;

    /// <summary>The match timeout of each <c>regex</c> tag condition. Default 100 ms.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The defaults.</summary>
    public static TimeSeriesQueryLimits Default { get; } = new();
}
