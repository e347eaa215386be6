using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// Up to <c>capacity</c> points of one series in one time shard: a timestamp column (UTC ticks, in write order) and
/// one column of values per field, indexed by the series' field number. Appended to by the single writer;
/// readers see only the prefix their snapshot's <see cref="ChunkView"/> publishes, through <see cref="GetColumn"/>.
/// </summary>
/// <remarks>
/// <para>
/// A chunk made with room for its series' fields keeps their words in <b>one array</b>, field after field
/// (field <c>f</c>'s rows at <c>f × capacity</c>), and each field's kind and row count in a small array of slots: a
/// head chunk of a 7-field series is three arrays instead of eight arrays and seven column objects. A field added
/// later (or one that would put the shared array on the large-object heap) gets an array of its own when its first
/// value comes. Per-row kinds (mixed kinds, or rows without the field) and strings are per field, made on demand.
/// </para>
/// <para>
/// Publication order makes lock-free reads safe: the writer stores a row's word, its kind (and string), then the
/// field's row count; a new array of slots is published after it is filled. A reader reads the slots, then a slot's
/// row count, then its per-row kinds, and gets an immutable <see cref="Column"/> of the rows as they are then.
/// </para>
/// </remarks>
internal sealed class ColumnChunk
{
    // The largest array of words the fields share: 8,192 words (64 KiB), below the large-object heap's 85,000 bytes.
    private const int MaxSharedWords = 8_192;

    private Slot[] _slots = [];

    /// <summary>An empty chunk of <paramref name="capacity"/> rows with room for the values of <paramref name="fields"/> fields in one array (more are added by growing).</summary>
    public ColumnChunk(int capacity, int fields = 0)
    {
        Timestamps = new long[capacity];
        if (fields > 0)
        {
            var slots = new Slot[fields];
            if ((long)capacity * fields <= MaxSharedWords)
            {
                var shared = new long[capacity * fields];
                for (var f = 0; f < fields; f++)
                {
                    slots[f].Bits = shared;
                    slots[f].Offset = f * capacity;
                }
            }

            _slots = slots;
        }
    }

    /// <summary>A decoded chunk over existing columns (a sealed chunk materialised for a query or a rewrite).</summary>
    public ColumnChunk(long[] timestamps, int count, long minTicks, long maxTicks, Column?[] columns)
    {
        Timestamps = timestamps;
        Count = count;
        MinTicks = minTicks;
        MaxTicks = maxTicks;
        var slots = new Slot[columns.Length];
        for (var f = 0; f < columns.Length; f++)
        {
            if (columns[f] is { } column)
            {
                slots[f] = new Slot
                {
                    Bits = column.Bits,
                    Offset = column.Offset,
                    Kind = column.Kind,
                    RowCount = column.RowCount,
                    Kinds = column.Kinds,
                    Strings = column.Strings,
                };
            }
        }

        _slots = slots;
    }

    public long[] Timestamps { get; }

    public int Capacity => Timestamps.Length;

    /// <summary>Writer-side count (readers use their view's count).</summary>
    public int Count { get; private set; }

    public long MinTicks { get; private set; } = long.MaxValue;

    public long MaxTicks { get; private set; } = long.MinValue;

    /// <summary>The number of field slots (field numbers below it may have a column).</summary>
    public int FieldSlots => Volatile.Read(ref _slots).Length;

    /// <summary>The bytes the chunk holds at capacity: the object, its timestamps, slots and every field's arrays (the shared one once).</summary>
    public long AllocatedBytes
    {
        get
        {
            var slots = Volatile.Read(ref _slots);
            long bytes = 64 + 24 + (8L * Capacity) + 24 + (40L * slots.Length);
            long[]? shared = null;
            for (var f = 0; f < slots.Length; f++)
            {
                // The shared array is the only one longer than the chunk: counted once.
                var bits = slots[f].Bits;
                if (bits is not null && !ReferenceEquals(bits, shared))
                {
                    bytes += 24 + (8L * bits.Length);
                    shared = bits.Length > Capacity ? bits : shared;
                }

                bytes += (slots[f].Kinds is null ? 0 : 24 + Capacity) + (slots[f].Strings is null ? 0 : 24 + (8L * Capacity));
            }

            return bytes;
        }
    }

    /// <summary>Reader: a view of a field's rows as they are now, or null when the chunk has no value of it.</summary>
    public Column? GetColumn(int field)
    {
        var slots = Volatile.Read(ref _slots);
        if ((uint)field >= (uint)slots.Length)
        {
            return null;
        }

        ref var slot = ref slots[field];
        var rowCount = Volatile.Read(ref slot.RowCount);
        if (rowCount == 0)
        {
            return null;
        }

        var kinds = Volatile.Read(ref slot.Kinds);
        return new Column(slot.Bits!, slot.Offset, slot.Kind, kinds, Volatile.Read(ref slot.Strings), rowCount);
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

    /// <summary>Writer: sets a field of a row (rows of a field only move forward; skipped rows are absent).</summary>
    public void SetField(int field, int row, FieldValue value)
    {
        var slots = _slots;
        if (field >= slots.Length)
        {
            var grown = new Slot[Math.Max(field + 1, Math.Max(4, slots.Length * 2))];
            slots.CopyTo(grown, 0);
            Volatile.Write(ref _slots, grown);
            slots = grown;
        }

        ref var slot = ref slots[field];
        var count = slot.RowCount;
        if (count == 0)
        {
            // The field's first value in this chunk: its kind, and its own array unless it has a place in the shared one.
            slot.Bits ??= new long[Capacity];
            slot.Kind = value.Kind;
        }

        if (slot.Kinds is null && (row != count || value.Kind != slot.Kind))
        {
            var kinds = new byte[Capacity];
            kinds.AsSpan(0, count).Fill((byte)(slot.Kind + 1));
            Volatile.Write(ref slot.Kinds, kinds);
        }

        if (value.Kind == FieldValueKind.String)
        {
            if (slot.Strings is null)
            {
                Volatile.Write(ref slot.Strings, new string?[Capacity]);
            }

            value.TryGetString(out var text);
            slot.Strings![row] = text;
        }

        slot.Bits![slot.Offset + row] = value.RawBits;
        if (slot.Kinds is { } rowKinds)
        {
            rowKinds[row] = (byte)(value.Kind + 1);
        }

        Volatile.Write(ref slot.RowCount, row + 1);
    }

    /// <summary>Writer: a copy with more room; readers of the original keep a valid, unchanging prefix.</summary>
    public ColumnChunk Grow(int capacity)
    {
        var slots = _slots;
        var copy = new ColumnChunk(capacity, slots.Length) { Count = Count, MinTicks = MinTicks, MaxTicks = MaxTicks };
        Array.Copy(Timestamps, copy.Timestamps, Count);
        for (var f = 0; f < slots.Length; f++)
        {
            ref var from = ref slots[f];
            if (from.RowCount == 0)
            {
                continue;
            }

            ref var to = ref copy._slots[f];
            to.Bits ??= new long[capacity];
            Array.Copy(from.Bits!, from.Offset, to.Bits, to.Offset, from.RowCount);
            to.Kind = from.Kind;
            if (from.Kinds is not null)
            {
                to.Kinds = new byte[capacity];
                Array.Copy(from.Kinds, to.Kinds, from.RowCount);
            }

            if (from.Strings is not null)
            {
                to.Strings = new string?[capacity];
                Array.Copy(from.Strings, to.Strings, from.RowCount);
            }

            to.RowCount = from.RowCount;
        }

        return copy;
    }

    /// <summary>The view of the chunk as it is now (for publication).</summary>
    public ChunkView View() => new(this, Count, MinTicks, MaxTicks);

    /// <summary>One field's place in the chunk: its words (at <see cref="Offset"/> of <see cref="Bits"/>), kind and row count.</summary>
    private struct Slot
    {
        public long[]? Bits;
        public int Offset;
        public FieldValueKind Kind;
        public int RowCount;
        public byte[]? Kinds;
        public string?[]? Strings;
    }
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
