using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>A published, immutable state of one series: its identity, field names and chunks per time shard.</summary>
internal sealed class SeriesState
{
    public required int Id { get; init; }

    public required string Measurement { get; init; }

    public required TagSet Tags { get; init; }

    public required string[] FieldNames { get; init; }

    /// <summary>The shards, by increasing start.</summary>
    public required ShardView[] Shards { get; init; }

    public required long PointCount { get; init; }
}

/// <summary>A published, immutable view of one series' chunks in one time shard.</summary>
internal sealed class ShardView
{
    public required long Index { get; init; }

    public required ChunkView[] Chunks { get; init; }

    public required long MinTicks { get; init; }

    public required long MaxTicks { get; init; }

    public required long PointCount { get; init; }
}
