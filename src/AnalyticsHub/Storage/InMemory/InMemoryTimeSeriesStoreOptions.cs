using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>Settings of <see cref="InMemoryTimeSeriesStore"/>.</summary>
public sealed record InMemoryTimeSeriesStoreOptions
{
    /// <summary>The retention policy; its <c>shard_duration_hours</c> sets the width of the time partitions. Default <see cref="RetentionPolicy.Default"/>.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Default;

    /// <summary>Points per columnar chunk (64 to 65,536). Default 1,024.</summary>
    public int ChunkSize { get; init; } = 1024;

    /// <summary>
    /// Whether closed chunks are encoded with per-column codecs (default true). A chunk closes when full, when its
    /// series writes to a later time shard, or on <see cref="InMemoryTimeSeriesStore.SealOpenChunks"/>; off keeps raw arrays.
    /// </summary>
    public bool SealChunks { get; init; } = true;

    /// <summary>The cardinality guard.</summary>
    public TimeSeriesCardinalityLimits Cardinality { get; init; } = new();

    /// <summary>Query bounds.</summary>
    public TimeSeriesQueryLimits QueryLimits { get; init; } = TimeSeriesQueryLimits.Default;

    /// <summary>Longest tag key (decision 7). Default 128.</summary>
    public int MaxTagKeyLength { get; init; } = 128;

    /// <summary>Longest tag value (decision 7). Default 1,024.</summary>
    public int MaxTagValueLength { get; init; } = 1024;
}
