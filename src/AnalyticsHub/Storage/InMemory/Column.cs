using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// One field's values in a chunk: raw 64-bit words (double bits, integers, 0/1), the kind once for a homogeneous
/// column, or a kind per row when kinds mix or rows lack the field. Append-only; rows below a published count never change.
/// </summary>
/// <remarks>
/// Publication order makes lock-free reads safe: the writer stores the row's bits and kind, then <see cref="RowCount"/>;
/// per-row kinds are published before the row count that needs them. Readers read <see cref="RowCount"/> first, then <see cref="Kinds"/>.
/// Sealed chunks keep an encoded <see cref="SealedColumn"/> instead; a query decodes it into a column over scratch arrays.
/// </remarks>
internal sealed class Column
{
    private readonly long[] _bits;
    private byte[]? _kinds;
    private string?[]? _strings;
    private int _rowCount;

    public Column(int capacity, FieldValueKind kind)
    {
        _bits = new long[capacity];
        Kind = kind;
        if (kind == FieldValueKind.String)
        {
            _strings = new string?[capacity];
        }
    }

    /// <summary>A decoded column over existing arrays (a sealed chunk's column, read by a query).</summary>
    public Column(long[] bits, FieldValueKind kind, byte[]? kinds, string?[]? strings, int rowCount)
    {
        _bits = bits;
        Kind = kind;
        _kinds = kinds;
        _strings = strings;
        _rowCount = rowCount;
    }

    /// <summary>The kind of every row while <see cref="Kinds"/> is null.</summary>
    public FieldValueKind Kind { get; }

    public int RowCount => Volatile.Read(ref _rowCount);

    public byte[]? Kinds => Volatile.Read(ref _kinds);

    /// <summary>Writer (sealing): the raw words.</summary>
    internal long[] Bits => _bits;

    /// <summary>Writer (sealing): the string of each string row.</summary>
    internal string?[]? Strings => _strings;

    /// <summary>Writer: sets a row (rows only move forward; skipped rows are absent).</summary>
    public void Set(int row, FieldValue value)
    {
        var count = _rowCount;
        if (_kinds is null && (row != count || value.Kind != Kind))
        {
            var kinds = new byte[_bits.Length];
            kinds.AsSpan(0, count).Fill((byte)(Kind + 1));
            Volatile.Write(ref _kinds, kinds);
        }

        if (value.Kind == FieldValueKind.String)
        {
            _strings ??= new string?[_bits.Length];
            value.TryGetString(out var text);
            _strings[row] = text;
        }

        _bits[row] = value.RawBits;
        if (_kinds is not null)
        {
            _kinds[row] = (byte)(value.Kind + 1);
        }

        Volatile.Write(ref _rowCount, row + 1);
    }

    /// <summary>Writer: a copy with more room (a head chunk its estimate left too small, <see cref="ShardWriter.HeadForAppend"/>); the original stays valid for older snapshots.</summary>
    public Column CopyWithCapacity(int capacity)
    {
        var copy = new Column(capacity, Kind);
        var count = _rowCount;
        Array.Copy(_bits, copy._bits, count);
        if (_kinds is not null)
        {
            copy._kinds = new byte[capacity];
            Array.Copy(_kinds, copy._kinds, count);
        }

        if (_strings is not null)
        {
            copy._strings = new string?[capacity];
            Array.Copy(_strings, copy._strings, count);
        }

        copy._rowCount = count;
        return copy;
    }

    /// <summary>The values as doubles when every row below <paramref name="count"/> is a present float.</summary>
    public bool TryGetDense(int count, out ReadOnlySpan<double> values)
    {
        if (Kind == FieldValueKind.Float && RowCount >= count && Kinds is null)
        {
            values = System.Runtime.InteropServices.MemoryMarshal.Cast<long, double>(_bits.AsSpan(0, count));
            return true;
        }

        values = default;
        return false;
    }

    /// <summary>Reads one row (below the reader's published count).</summary>
    public bool TryRead(int row, out FieldValueKind kind, out long bits)
    {
        var rowCount = RowCount;
        var kinds = Kinds;
        bits = 0;
        kind = Kind;
        if (row >= rowCount)
        {
            return false;
        }

        if (kinds is not null)
        {
            if (kinds[row] == 0)
            {
                return false;
            }

            kind = (FieldValueKind)(kinds[row] - 1);
        }

        bits = _bits[row];
        return true;
    }

    /// <summary>Reads one row as a field value.</summary>
    public bool TryReadValue(int row, out FieldValue value)
    {
        if (!TryRead(row, out var kind, out var bits))
        {
            value = default;
            return false;
        }

        value = FieldValue.FromRaw(kind, bits, kind == FieldValueKind.String ? Volatile.Read(ref _strings)![row] : null);
        return true;
    }
}
