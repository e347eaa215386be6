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

    /// <summary>
    /// The most threads one aggregated query scans and selects percentiles with. Default
    /// <see cref="Environment.ProcessorCount"/>; 1 runs every query on the calling thread alone.
    /// </summary>
    /// <remarks>
    /// Only large scans split (from about 64 k points): by groups when the groups spread the points evenly, otherwise by
    /// time at bucket boundaries. Each thread owns whole cells, so the result is the same as on one thread, bit for bit.
    /// </remarks>
    public int QueryParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Longest tag key (decision 7). Default 128.</summary>
    public int MaxTagKeyLength { get; init; } = 128;

    /// <summary>Longest tag value (decision 7). Default 1,024.</summary>
    public int MaxTagValueLength { get; init; } = 1024;

    /// <summary>
    /// Which tags the inverted index keeps series ids for, per measurement (<see cref="IndexConfig.Measurement"/>; the
    /// empty name applies to every measurement without its own). Empty (the default): every tag is indexed.
    /// </summary>
    /// <remarks>
    /// A filter or condition on a tag that is not indexed gives the same answer, by reading the tags of the series the
    /// indexed filters left (a scan of the measurement's series when none did). The values of every tag are still kept
    /// for the cardinality guard and <see cref="ITimeSeriesStore.GetCardinalityAsync"/>. Shard keys and partitioning are
    /// for backends that use them.
    /// </remarks>
    public IReadOnlyList<IndexConfig> Indexes { get; init; } = [];
}
