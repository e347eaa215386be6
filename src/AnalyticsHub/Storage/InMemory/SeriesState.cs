using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>A published, immutable state of one series: its identity, field names and chunks per time shard.</summary>
/// <remarks>
/// Most series of a high-cardinality measurement hold one shard with only an open chunk, and a batch republishes
/// each series it touches: such a state keeps just that chunk's view (<see cref="HeadOnly"/>) and builds its
/// <see cref="Shards"/> on first read, so publishing it costs one object instead of four.
/// </remarks>
internal sealed class SeriesState
{
    private ShardView[]? _shards;

    public required int Id { get; init; }

    public required string Measurement { get; init; }

    public required TagSet Tags { get; init; }

    public required string[] FieldNames { get; init; }

    /// <summary>The shards, by increasing start (built on first read for a <see cref="HeadOnly"/> state).</summary>
    public ShardView[] Shards
    {
        get
        {
            var shards = Volatile.Read(ref _shards);
            if (shards is null)
            {
                // Readers may race here: each builds an equal array from the same immutable view.
                var head = HeadOnly;
                shards = [new ShardView { Index = head.Shard, Chunks = [head.Chunk], MinTicks = head.Chunk.MinTicks, MaxTicks = head.Chunk.MaxTicks, PointCount = PointCount }];
                Volatile.Write(ref _shards, shards);
            }

            return shards;
        }

        init => _shards = value;
    }

    /// <summary>The one shard's index and its open chunk's view, for a state published without <see cref="Shards"/>.</summary>
    public (long Shard, ChunkView Chunk) HeadOnly { get; init; }

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
