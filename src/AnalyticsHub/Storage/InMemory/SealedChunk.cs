using AnalyticsHub.Storage.InMemory.Codecs;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// An immutable, encoded chunk: the timestamp column and each field column as bytes (codec chosen per column by
/// size), with a header of row count and time bounds. Queries decode only the columns they read, into scratch buffers.
/// </summary>
internal sealed class SealedChunk
{
    private SealedChunk(int count, long minTicks, long maxTicks, byte[] timestamps, SealedColumn?[] columns)
    {
        Count = count;
        MinTicks = minTicks;
        MaxTicks = maxTicks;
        Timestamps = timestamps;
        Columns = columns;
    }

    public int Count { get; }

    public long MinTicks { get; }

    public long MaxTicks { get; }

    public byte[] Timestamps { get; }

    public SealedColumn?[] Columns { get; }

    /// <summary>The chunk's own bytes (object, header and column array), without its columns.</summary>
    public long OverheadBytes => 56 + 24 + (8L * Columns.Length) + 24;

    /// <summary>Encodes the published rows of an open chunk.</summary>
    public static SealedChunk Seal(ColumnChunk chunk)
    {
        var count = chunk.Count;
        var timestamps = Int64Codec.Encode(chunk.Timestamps.AsSpan(0, count));
        var source = new Column?[chunk.FieldSlots];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = chunk.GetColumn(i);
        }

        // Up to the last field the chunk has: its open slots follow the fields its series had when it was made, which
        // depends on how the points were batched; what is sealed does not.
        var length = source.Length;
        while (length > 0 && source[length - 1] is null)
        {
            length--;
        }

        var columns = new SealedColumn?[length];
        for (var i = 0; i < columns.Length; i++)
        {
            if (source[i] is { } column)
            {
                columns[i] = SealedColumn.Seal(column, count);
            }
        }

        return new SealedChunk(count, chunk.MinTicks, chunk.MaxTicks, timestamps, columns);
    }

    /// <summary>The column of a field number, or null.</summary>
    public SealedColumn? GetColumn(int field) => (uint)field < (uint)Columns.Length ? Columns[field] : null;

    /// <summary>Decodes the timestamps into <paramref name="buffer"/> (at least <see cref="Count"/> long).</summary>
    public ReadOnlySpan<long> DecodeTimestamps(long[] buffer)
    {
        var span = buffer.AsSpan(0, Count);
        Int64Codec.Decode(Timestamps, span);
        return span;
    }

    /// <summary>A raw chunk with the given field numbers decoded (every field when empty).</summary>
    public ColumnChunk Materialize(ReadOnlySpan<int> fields)
    {
        var timestamps = new long[Count];
        Int64Codec.Decode(Timestamps, timestamps);
        var columns = new Column?[Columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            if (Columns[i] is { } column && (fields.IsEmpty || fields.Contains(i)))
            {
                columns[i] = column.Decode(Count);
            }
        }

        return new ColumnChunk(timestamps, Count, MinTicks, MaxTicks, columns);
    }
}
