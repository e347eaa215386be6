using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// A reader's view of one field's values in a chunk: raw 64-bit words (double bits, integers, 0/1), the kind once for a
/// homogeneous column, or a kind per row when kinds mix or rows lack the field. Immutable: an open chunk hands out a new
/// view of its rows as they are when asked (<see cref="ColumnChunk.GetColumn"/>), over the chunk's own arrays, and a
/// sealed chunk's column is decoded into one over scratch arrays (<see cref="SealedColumn.Decode"/>).
/// </summary>
/// <remarks>
/// The words of an open chunk's field live at an offset of an array the chunk may share between its fields
/// (<see cref="ColumnChunk"/>); a view reads only its own field's rows, below its <see cref="RowCount"/>.
/// </remarks>
internal sealed class Column
{
    private readonly long[] _bits;
    private readonly int _offset;
    private readonly byte[]? _kinds;
    private readonly string?[]? _strings;

    /// <summary>A column over existing arrays (a sealed chunk's column decoded for a query, or a copy of a field's rows).</summary>
    public Column(long[] bits, FieldValueKind kind, byte[]? kinds, string?[]? strings, int rowCount)
        : this(bits, 0, kind, kinds, strings, rowCount)
    {
    }

    /// <summary>A view of a field whose row <c>r</c> is the word at <paramref name="offset"/> + <c>r</c> of <paramref name="bits"/>.</summary>
    internal Column(long[] bits, int offset, FieldValueKind kind, byte[]? kinds, string?[]? strings, int rowCount)
    {
        _bits = bits;
        _offset = offset;
        Kind = kind;
        _kinds = kinds;
        _strings = strings;
        RowCount = rowCount;
    }

    /// <summary>The kind of every row while <see cref="Kinds"/> is null.</summary>
    public FieldValueKind Kind { get; }

    /// <summary>The rows the view holds (one past the last row with a value when it was taken).</summary>
    public int RowCount { get; }

    /// <summary>Per row: 0 when the row has no value, else its kind plus one; null when every row below <see cref="RowCount"/> is <see cref="Kind"/>.</summary>
    public byte[]? Kinds => _kinds;

    /// <summary>The raw words of the rows below <see cref="RowCount"/>.</summary>
    internal ReadOnlySpan<long> Words => _bits.AsSpan(_offset, RowCount);

    /// <summary>The backing array of the words (at <see cref="Offset"/>).</summary>
    internal long[] Bits => _bits;

    /// <summary>Where row 0's word sits in <see cref="Bits"/>.</summary>
    internal int Offset => _offset;

    /// <summary>The string of each string row.</summary>
    internal string?[]? Strings => _strings;

    /// <summary>The values as doubles when every row below <paramref name="count"/> is a present float.</summary>
    public bool TryGetDense(int count, out ReadOnlySpan<double> values)
    {
        if (Kind == FieldValueKind.Float && RowCount >= count && _kinds is null)
        {
            values = System.Runtime.InteropServices.MemoryMarshal.Cast<long, double>(_bits.AsSpan(_offset, count));
            return true;
        }

        values = default;
        return false;
    }

    /// <summary>Reads one row (below the reader's published count).</summary>
    public bool TryRead(int row, out FieldValueKind kind, out long bits)
    {
        bits = 0;
        kind = Kind;
        if ((uint)row >= (uint)RowCount)
        {
            return false;
        }

        if (_kinds is not null)
        {
            if (_kinds[row] == 0)
            {
                return false;
            }

            kind = (FieldValueKind)(_kinds[row] - 1);
        }

        bits = _bits[_offset + row];
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

        value = FieldValue.FromRaw(kind, bits, kind == FieldValueKind.String ? _strings![row] : null);
        return true;
    }
}
