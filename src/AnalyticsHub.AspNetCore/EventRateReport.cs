using AnalyticsHub.Storage;

namespace AnalyticsHub.AspNetCore;

/// <summary>The body of <c>GET /events/rate</c>: stored events per bucket and source module over a range.</summary>
public sealed record EventRateReport
{
    /// <summary>The range's start (inclusive, event time).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The range's end (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The bucket width in seconds (60: events per minute).</summary>
    public required long BucketSeconds { get; init; }

    /// <summary>Events in the whole range.</summary>
    public required ulong Total { get; init; }

    /// <summary>The buckets in time order; the first and last are cut to the range.</summary>
    public required IReadOnlyList<EventRateBucket> Buckets { get; init; }
}
