namespace AnalyticsHub.TimeSeries;

/// <summary>Which tags of a measurement a backend indexes and shards by, and how it partitions time.</summary>
/// <remarks>
/// The in-memory store honours <see cref="IndexedTags"/> when given configurations (its options' <c>Indexes</c>) and
/// otherwise indexes every tag; a filter on a tag that is not indexed is answered by a scan, with the same results.
/// <see cref="ShardKeys"/> and the partitioning are for backends that use them.
/// </remarks>
public sealed record IndexConfig
{
    /// <summary>The measurement the configuration is for (empty: any).</summary>
    public required string Measurement { get; init; }

    /// <summary>The indexed tag keys.</summary>
    public required IReadOnlyList<string> IndexedTags { get; init; }

    /// <summary>The tag keys a distributed backend shards by.</summary>
    public required IReadOnlyList<string> ShardKeys { get; init; }

    /// <summary>Whether data is partitioned by time.</summary>
    public required bool TimePartitioning { get; init; }

    /// <summary>The width of a time partition in hours.</summary>
    public required uint PartitionIntervalHours { get; init; }

    /// <summary>The spec's default: index source_module, environment and model_id; shard by source_module and environment; 24-hour partitions.</summary>
    public static IndexConfig Default { get; } = new()
    {
        Measurement = string.Empty,
        IndexedTags = ["source_module", "environment", "model_id"],
        ShardKeys = ["source_module", "environment"],
        TimePartitioning = true,
        PartitionIntervalHours = 24,
    };
}
