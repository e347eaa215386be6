using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// Up to <c>capacity</c> points of one series in one time shard: a timestamp column (UTC ticks, in write order) and
/// one <see cref="Column"/> per field, indexed by the series' field number. Appended to by the single writer;
/// readers see only the prefix their snapshot's <see cref="ChunkView"/> publishes.
/// </summary>
internal sealed class ColumnChunk
{
    private Column?[] _columns = [];

    /// <summary>An empty chunk of <paramref name="capacity"/> rows with room for the columns of <paramref name="fields"/> fields (more are added by growing).</summary>
    public ColumnChunk(int capacity, int fields = 0)
    {
        Timestamps = new long[capacity];
        if (fields > 0)
        {
            _columns = new Column?[fields];
        }
    }

    /// <summary>A decoded chunk over existing arrays (a sealed chunk materialised for a query or a rewrite).</summary>
    public ColumnChunk(long[] timestamps, int count, long minTicks, long maxTicks, Column?[] columns)
    {
        Timestamps = timestamps;
        Count = count;
        MinTicks = minTicks;
        MaxTicks = maxTicks;
        _columns = columns;
    }

    public long[] Timestamps { get; }

    public int Capacity => Timestamps.Length;

    /// <summary>Writer-side count (readers use their view's count).</summary>
    public int Count { get; private set; }

    public long MinTicks { get; private set; } = long.MaxValue;

    public long MaxTicks { get; private set; } = long.MinValue;

    /// <summary>The columns, published copy-on-write when a field is added.</summary>
    public Column?[] Columns => Volatile.Read(ref _columns);

    /// <summary>Reader: the column of a field number, or null when the chunk has none.</summary>
    public Column? GetColumn(int field)
    {
        var columns = Columns;
        return (uint)field < (uint)columns.Length ? columns[field] : null;
    }

    /// <summary>Writer: appends a timestamp and returns its row.</summary>
    public int AppendTimestamp(long ticks)
    {
        var row = Count;
        Timestamps[row] = ticks;
        MinTicks = Math.Min(MinTicks, ticks);
        MaxTicks = Math.Max(MaxTicks, ticks);
        Count = row + 1;
        return row;
    }

    /// <summary>Writer: sets a field of a row.</summary>
    public void SetField(int field, int row, FieldValue value)
    {
        var columns = _columns;
        if (field >= columns.Length)
        {
            var grown = new Column?[Math.Max(field + 1, Math.Max(4, columns.Length * 2))];
            columns.CopyTo(grown, 0);
            Volatile.Write(ref _columns, grown);
            columns = grown;
        }

        var column = columns[field];
        if (column is null)
        {
            column = new Column(Capacity, value.Kind);
            columns[field] = column;
        }

        column.Set(row, value);
    }

    /// <summary>Writer: a copy with more room; readers of the original keep a valid, unchanging prefix.</summary>
    public ColumnChunk Grow(int capacity)
    {
        var copy = new ColumnChunk(capacity) { Count = Count, MinTicks = MinTicks, MaxTicks = MaxTicks };
        Array.Copy(Timestamps, copy.Timestamps, Count);
        var columns = new Column?[_columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = _columns[i]?.CopyWithCapacity(capacity);
        }

        copy._columns = columns;
        return copy;
    }

    /// <summary>The view of the chunk as it is now (for publication).</summary>
    public ChunkView View() => new(this, Count, MinTicks, MaxTicks);
}

/// <summary>
/// A published, immutable view of a chunk: its first <paramref name="Count"/> rows and their time bounds; either an
/// open (raw) <paramref name="Chunk"/> or an encoded <paramref name="Sealed"/> chunk.
/// </summary>
internal readonly record struct ChunkView(ColumnChunk? Chunk, int Count, long MinTicks, long MaxTicks, SealedChunk? Sealed = null)
{
    /// <summary>The rows as a raw chunk (decoding the given field numbers of a sealed chunk; all fields when null).</summary>
    public ColumnChunk Materialize(ReadOnlySpan<int> fields = default) => Chunk ?? Sealed!.Materialize(fields);
}
