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
/// (field <c>f</c>'s rows at <c>f × capacity</c>), and each field's kind and row count in a small array of 8-byte
/// slots: a head chunk of a 7-field series is three arrays instead of nine arrays and seven column objects. A field
/// added later (or one that would put the shared array on the large-object heap) gets an array of its own when its
/// first value comes. Per-row kinds (mixed kinds, or rows without the field) and strings are per field, made on demand.
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

    // The shared words: fields below _sharedFields, field f's rows at f * Capacity (null when the chunk shares none).
    private readonly long[]? _words;
    private readonly int _sharedFields;

    // Per field: its kind and published row count (8 bytes). What only some fields need lives in arrays by field
    // number made on demand, replaced by a longer copy when a later field needs one: the words of a field without a
    // place in the shared array, per-row kinds (kinds mix or rows lack the field), strings.
    private Slot[] _slots = [];
    private long[]?[]? _own;
    private byte[]?[]? _kinds;
    private string?[]?[]? _strings;

    /// <summary>An empty chunk of <paramref name="capacity"/> rows with room for the values of <paramref name="fields"/> fields in one array (more are added by growing).</summary>
    public ColumnChunk(int capacity, int fields = 0)
    {
        Timestamps = new long[capacity];
        if (fields > 0)
        {
            _slots = new Slot[fields];
            if ((long)capacity * fields <= MaxSharedWords)
            {
                _words = new long[capacity * fields];
                _sharedFields = fields;
            }
        }
    }

    /// <summary>A decoded chunk over existing columns (a sealed chunk materialised for a query or a rewrite).</summary>
    public ColumnChunk(long[] timestamps, int count, long minTicks, long maxTicks, Column?[] columns)
    {
        Timestamps = timestamps;
        Count = count;
        MinTicks = minTicks;
        MaxTicks = maxTicks;
        _slots = new Slot[columns.Length];
        _own = new long[]?[columns.Length];
        _kinds = new byte[]?[columns.Length];
        _strings = new string?[]?[columns.Length];
        for (var f = 0; f < columns.Length; f++)
        {
            if (columns[f] is { } column)
            {
                _slots[f] = new Slot { Kind = column.Kind, RowCount = column.RowCount };
                _own[f] = column.Offset == 0 ? column.Bits : column.Words.ToArray();
                _kinds[f] = column.Kinds;
                _strings[f] = column.Strings;
            }
        }
    }

    public long[] Timestamps { get; }

    public int Capacity => Timestamps.Length;

    /// <summary>Writer-side count (readers use their view's count).</summary>
    public int Count { get; private set; }

    public long MinTicks { get; private set; } = long.MaxValue;

    public long MaxTicks { get; private set; } = long.MinValue;

    /// <summary>The number of field slots (field numbers below it may have a column).</summary>
    public int FieldSlots => Volatile.Read(ref _slots).Length;

    /// <summary>The bytes the chunk holds at capacity: the object, its timestamps, slots, the shared words and every field's own arrays.</summary>
    public long AllocatedBytes
    {
        get
        {
            var slots = Volatile.Read(ref _slots);
            long bytes = 80 + 24 + (8L * Capacity) + 24 + (8L * slots.Length) + (_words is null ? 0 : 24 + (8L * _words.Length));
            bytes += Sum(Volatile.Read(ref _own), a => 24 + (8L * a.Length));
            bytes += Sum(Volatile.Read(ref _kinds), a => 24 + a.Length);
            bytes += Sum(Volatile.Read(ref _strings), a => 24 + (8L * a.Length));
            return bytes;

            static long Sum<T>(T[]?[]? arrays, Func<T[], long> size)
            {
                long total = arrays is null ? 0 : 24 + (8L * arrays.Length);
                foreach (var array in arrays ?? [])
                {
                    total += array is null ? 0 : size(array);
                }

                return total;
            }
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

        var rowCount = Volatile.Read(ref slots[field].RowCount);
        if (rowCount == 0)
        {
            return null;
        }

        var bits = field < _sharedFields ? _words! : ByField(ref _own, field)!;
        return new Column(
            bits, field < _sharedFields ? field * Capacity : 0, slots[field].Kind, ByField(ref _kinds, field), ByField(ref _strings, field), rowCount);
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
        long[] bits;
        int offset;
        if (field < _sharedFields)
        {
            (bits, offset) = (_words!, field * Capacity);
        }
        else
        {
            // A field without a place in the shared array: its own words, made at its first value.
            (bits, offset) = (ByField(ref _own, field) ?? SetByField(ref _own, field, new long[Capacity], slots.Length), 0);
        }

        if (count == 0)
        {
            slot.Kind = value.Kind;
        }

        var kinds = _kinds is null ? null : ByField(ref _kinds, field);
        if (kinds is null && (row != count || value.Kind != slot.Kind))
        {
            kinds = new byte[Capacity];
            kinds.AsSpan(0, count).Fill((byte)(slot.Kind + 1));
            SetByField(ref _kinds, field, kinds, slots.Length);
        }

        if (value.Kind == FieldValueKind.String)
        {
            var strings = ByField(ref _strings, field) ?? SetByField(ref _strings, field, new string?[Capacity], slots.Length);
            value.TryGetString(out var text);
            strings[row] = text;
        }

        bits[offset + row] = value.RawBits;
        if (kinds is not null)
        {
            kinds[row] = (byte)(value.Kind + 1);
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
            var rows = slots[f].RowCount;
            if (rows == 0)
            {
                continue;
            }

            var from = f < _sharedFields ? _words.AsSpan(f * Capacity, rows) : ByField(ref _own, f)!.AsSpan(0, rows);
            from.CopyTo(f < copy._sharedFields ? copy._words.AsSpan(f * capacity) : SetByField(ref copy._own, f, new long[capacity], slots.Length));
            copy._slots[f] = slots[f];
            if (ByField(ref _kinds, f) is { } kinds)
            {
                var grown = new byte[capacity];
                Array.Copy(kinds, grown, rows);
                SetByField(ref copy._kinds, f, grown, slots.Length);
            }

            if (ByField(ref _strings, f) is { } strings)
            {
                var grown = new string?[capacity];
                Array.Copy(strings, grown, rows);
                SetByField(ref copy._strings, f, grown, slots.Length);
            }
        }

        return copy;
    }

    /// <summary>The view of the chunk as it is now (for publication).</summary>
    public ChunkView View() => new(this, Count, MinTicks, MaxTicks);

    /// <summary>A field's entry of an array by field number (null when the array is missing or too short).</summary>
    private static T? ByField<T>(ref T?[]? byField, int field)
        where T : class
    {
        var array = Volatile.Read(ref byField);
        return array is not null && (uint)field < (uint)array.Length ? Volatile.Read(ref array[field]) : null;
    }

    /// <summary>
    /// Writer: sets a field's entry, replacing the array by a longer copy (at least <paramref name="length"/> entries) when
    /// it is too short; a new array is published after it is filled.
    /// </summary>
    private static T SetByField<T>(ref T?[]? byField, int field, T value, int length)
        where T : class
    {
        var array = byField;
        if (array is null || field >= array.Length)
        {
            var grown = new T?[Math.Max(field + 1, length)];
            array?.CopyTo(grown, 0);
            grown[field] = value;
            Volatile.Write(ref byField, grown);
            return value;
        }

        Volatile.Write(ref array[field], value);
        return value;
    }

    /// <summary>One field's kind and published row count; its words are in the shared array or its own.</summary>
    private struct Slot
    {
        public int RowCount;
        public FieldValueKind Kind;
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
