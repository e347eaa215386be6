using AnalyticsHub.Pipeline;

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

    /// <summary>Starts loading the open head chunk, if any (<see cref="CacheHint"/>).</summary>
    public void PrefetchHead() => CacheHint.Prefetch(_head);

    public bool Dirty { get; set; }

    public long PointCount { get; set; }

    /// <summary>
    /// The open chunk to append to, with room for at least one row. A new chunk is sized once from what the series is
    /// known to receive (<see cref="ExpectedRows"/>): a chunk that follows a full one, at the rate that filled it, for
    /// the rest of the shard's window; the shard's first, at the previous window's count or the rows the caller is
    /// about to write (<paramref name="rows"/>), whichever is larger; at least 8 rows and at most
    /// <paramref name="chunkSize"/>. Only a head that the estimate left too small grows by copying.
    /// </summary>
    /// <param name="chunkSize">The chunk limit.</param>
    /// <param name="shardTicks">The shard's duration, for the rest of its window.</param>
    /// <param name="rows">The rows the caller appends to this shard now (the rest of a batch's run of the series), at least 1.</param>
    /// <param name="fields">The fields the series has: a new chunk's room for columns.</param>
    public ColumnChunk HeadForAppend(int chunkSize, long shardTicks, int rows, int fields = 0)
    {
        var head = _head;
        if (head is not null && head.Count < head.Capacity)
        {
            return head;
        }

        if (head is not null && head.Capacity < chunkSize)
        {
            // The estimate was short (a new series, or one that sped up): grown by copying, to the next of 8, 32, 128,
            // 512... rows that holds the rows at hand (a head sized for a batch's run, 16 rows, grows to 32, not 64).
            head = head.Grow(GrownRows(chunkSize, head.Count + (long)rows));
        }
        else
        {
            long expected = Math.Max(rows, ExpectedRows);
            if (head is not null)
            {
                // The series filled a whole chunk in this window: the next one is sized at the rate that filled it.
                expected = Math.Max(rows, RateRows(head, (Index + 1) * shardTicks));

                // Full chunks are immutable from here on: encoded column by column (or kept raw when sealing is off).
                (_sealed ??= []).Add(Close(head));
            }

            head = new ColumnChunk(RowsFor(chunkSize, expected), fields);
        }

        _head = head;
        return head;
    }

    /// <summary>
    /// The points the series received in the window before this shard's (set when the series moved on to this shard; 0
    /// when unknown): the first head's size, since a series tends to keep its rate.
    /// </summary>
    public int ExpectedRows { get; init; }

    /// <summary>A chunk's capacity for <paramref name="rows"/> expected rows: the power of two at or above it, 8 to <paramref name="chunkSize"/>.</summary>
    internal static int RowsFor(int chunkSize, long rows) =>
        rows <= InitialChunkRows ? Math.Min(InitialChunkRows, chunkSize) : (int)Math.Min(chunkSize, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)rows));

    /// <summary>The capacity a head grows to for <paramref name="rows"/>: the first of 8, 32, 128, 512... (fourfold steps) at or above it, at most <paramref name="chunkSize"/>.</summary>
    internal static int GrownRows(int chunkSize, long rows)
    {
        long capacity = InitialChunkRows;
        while (capacity < rows && capacity < chunkSize)
        {
            capacity *= 4;
        }

        return (int)Math.Min(capacity, chunkSize);
    }

    /// <summary>The rows a full chunk's rate gives the rest of the window up to <paramref name="windowEnd"/> (ticks).</summary>
    private static long RateRows(ColumnChunk full, long windowEnd)
    {
        var span = Math.Max(1, full.MaxTicks - full.MinTicks);
        var rest = Math.Max(0, windowEnd - full.MaxTicks);
        return (long)Math.Ceiling(full.Count * ((double)rest / span));
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
            var columns = new Column?[source.FieldSlots];
            for (var field = 0; field < columns.Length; field++)
            {
                columns[field] = source.GetColumn(field);
            }

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
