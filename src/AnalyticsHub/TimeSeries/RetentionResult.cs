namespace AnalyticsHub.TimeSeries;

/// <summary>What one application of a <see cref="RetentionPolicy"/> did.</summary>
public sealed record RetentionResult
{
    /// <summary>The instant the ages were measured from.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Full-resolution points older than <see cref="RetentionPolicy.MaxRetentionDays"/>, dropped with their whole shards.</summary>
    public required long RawPointsDropped { get; init; }

    /// <summary>Full-resolution points older than <see cref="RetentionPolicy.FullResolutionDays"/>, replaced by rollups.</summary>
    public required long RawPointsDownsampled { get; init; }

    /// <summary>Rollup buckets created (from raw points or by merging finer buckets).</summary>
    public required long RollupBucketsCreated { get; init; }

    /// <summary>Finer rollup buckets merged into coarser ones (or dropped because the coarser bucket already summarised them).</summary>
    public required long RollupBucketsMerged { get; init; }

    /// <summary>Rollup buckets older than <see cref="RetentionPolicy.MaxRetentionDays"/>, dropped.</summary>
    public required long RollupBucketsDropped { get; init; }

    /// <summary>Whether anything changed; applying the same policy at the same instant again changes nothing.</summary>
    public bool Changed => RawPointsDropped + RawPointsDownsampled + RollupBucketsCreated + RollupBucketsMerged + RollupBucketsDropped > 0;
}
