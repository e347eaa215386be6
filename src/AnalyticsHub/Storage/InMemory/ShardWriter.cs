namespace AnalyticsHub.Storage.InMemory;

/// <summary>The writer's side of one series' time shard: sealed chunk views and the open head chunk.</summary>
internal sealed class ShardWriter
{
    private const int InitialChunkRows = 64;
    private readonly List<ChunkView> _sealed = [];
    private ColumnChunk? _head;
    private ShardView? _published;

    public ShardWriter(long index)
    {
        Index = index;
    }

    public long Index { get; }

    public bool Dirty { get; set; }

    public long PointCount { get; set; }

    public ColumnChunk HeadForAppend(int chunkSize)
    {
        var head = _head;
        if (head is not null && head.Count < head.Capacity)
        {
            return head;
        }

        if (head is not null && head.Capacity < chunkSize)
        {
            // Sparse series would waste most of a 1,024-row chunk: the head starts at 64 rows and grows by copying.
            head = head.Grow(Math.Min(chunkSize, head.Capacity * 4));
        }
        else
        {
            if (head is not null)
            {
                // Full chunks are immutable from here on: the next issue encodes them with per-column codecs.
                _sealed.Add(head.View());
            }

            head = new ColumnChunk(Math.Min(InitialChunkRows, chunkSize));
        }

        _head = head;
        return head;
    }

    public ShardView Publish()
    {
        if (!Dirty && _published is not null)
        {
            return _published;
        }

        var chunks = new ChunkView[_sealed.Count + (_head is null ? 0 : 1)];
        _sealed.CopyTo(chunks);
        if (_head is not null)
        {
            chunks[^1] = _head.View();
        }

        long min = long.MaxValue, max = long.MinValue;
        foreach (var chunk in chunks)
        {
            min = Math.Min(min, chunk.MinTicks);
            max = Math.Max(max, chunk.MaxTicks);
        }

        _published = new ShardView { Index = Index, Chunks = chunks, MinTicks = min, MaxTicks = max, PointCount = PointCount };
        Dirty = false;
        return _published;
    }

    /// <summary>Removes points in [start, end) by rebuilding the affected chunks as new (sealed) chunks.</summary>
    public long DeleteRange(long start, long end, int chunkSize)
    {
        var all = new List<ChunkView>(_sealed);
        if (_head is not null)
        {
            all.Add(_head.View());
        }

        long deleted = 0;
        var kept = new List<ChunkView>(all.Count);
        foreach (var view in all)
        {
            if (view.MaxTicks < start || view.MinTicks >= end)
            {
                kept.Add(view);
                continue;
            }

            var copy = new ColumnChunk(chunkSize);
            var timestamps = view.Chunk.Timestamps;
            var columns = view.Chunk.Columns;
            for (var row = 0; row < view.Count; row++)
            {
                var ticks = timestamps[row];
                if (ticks >= start && ticks < end)
                {
                    deleted++;
                    continue;
                }

                var target = copy.AppendTimestamp(ticks);
                for (var field = 0; field < columns.Length; field++)
                {
                    if (columns[field] is { } column && column.TryReadValue(row, out var value))
                    {
                        copy.SetField(field, target, value);
                    }
                }
            }

            if (copy.Count > 0)
            {
                kept.Add(copy.View());
            }
        }

        if (deleted > 0)
        {
            _sealed.Clear();
            _sealed.AddRange(kept);
            _head = null;
            PointCount -= deleted;
            Dirty = true;
        }

        return deleted;
    }
}
