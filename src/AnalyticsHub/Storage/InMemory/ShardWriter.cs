namespace AnalyticsHub.Storage.InMemory;

/// <summary>The writer's side of one series' time shard: sealed chunk views and the open head chunk.</summary>
internal sealed class ShardWriter
{
    private const int InitialChunkRows = 8;
    private List<ChunkView>? _sealed; // created on the first sealed chunk: most sparse series never fill one
    private ColumnChunk? _head;
    private ShardView? _published;

    private readonly bool _seal;

    public ShardWriter(long index, bool seal)
    {
        Index = index;
        _seal = seal;
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
            // Sparse series would waste most of a 1,024-row chunk: the head starts at 8 rows and grows fourfold by copying.
            head = head.Grow(Math.Min(chunkSize, head.Capacity * 4));
        }
        else
        {
            if (head is not null)
            {
                // Full chunks are immutable from here on: encoded column by column (or kept raw when sealing is off).
                (_sealed ??= []).Add(Close(head));
            }

            head = new ColumnChunk(Math.Min(InitialChunkRows, chunkSize));
        }

        _head = head;
        return head;
    }

    /// <summary>Seals the open chunk now (the series moved on to a later shard, or the store was asked to); false when there is none.</summary>
    public bool SealHead()
    {
        if (!_seal || _head is null || _head.Count == 0)
        {
            return false;
        }

        (_sealed ??= []).Add(Close(_head));
        _head = null;
        Dirty = true;
        return true;
    }

    /// <summary>The view of the open chunk when it is all the shard holds (no sealed chunk): false otherwise.</summary>
    public bool TryViewHeadOnly(out ChunkView head)
    {
        if (_sealed is null && _head is not null)
        {
            head = _head.View();
            Dirty = false;
            _published = null;
            return true;
        }

        head = default;
        return false;
    }

    /// <summary>The view of the shard as it is now; <paramref name="remember"/> keeps it for reuse while the shard is unchanged.</summary>
    public ShardView Publish(bool remember = true)
    {
        if (!Dirty && _published is not null)
        {
            return _published;
        }

        var chunks = new ChunkView[(_sealed?.Count ?? 0) + (_head is null ? 0 : 1)];
        _sealed?.CopyTo(chunks);
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

        var view = new ShardView { Index = Index, Chunks = chunks, MinTicks = min, MaxTicks = max, PointCount = PointCount };
        _published = remember ? view : null;
        Dirty = false;
        return view;
    }

    private ChunkView Close(ColumnChunk chunk) =>
        _seal ? new ChunkView(null, chunk.Count, chunk.MinTicks, chunk.MaxTicks, SealedChunk.Seal(chunk)) : chunk.View();

    /// <summary>Removes points in [start, end) by rebuilding the affected chunks as new (sealed) chunks.</summary>
    public long DeleteRange(long start, long end, int chunkSize)
    {
        var all = new List<ChunkView>(_sealed ?? []);
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
            var source = view.Materialize();
            var timestamps = source.Timestamps;
            var columns = source.Columns;
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
                kept.Add(Close(copy));
            }
        }

        if (deleted > 0)
        {
            _sealed = kept;
            _head = null;
            PointCount -= deleted;
            Dirty = true;
        }

        return deleted;
    }
}
