using System.Buffers;
using AnalyticsHub.Storage.InMemory.Codecs;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// One field's values in a sealed chunk: the words encoded by the codec that came out smallest, the per-row kinds
/// (encoded too) when kinds mix or rows lack the field, a dictionary for string values, and a header with the
/// numeric rows' count, minimum and maximum (as aggregations read them) so some aggregations skip decoding.
/// </summary>
internal sealed class SealedColumn
{
    private SealedColumn(FieldValueKind kind, int rowCount, byte[] data, byte[]? kinds, string[]? dictionary, long numericCount, double min, double max)
    {
        Kind = kind;
        RowCount = rowCount;
        Data = data;
        Kinds = kinds;
        Dictionary = dictionary;
        NumericCount = numericCount;
        Min = min;
        Max = max;
    }

    public FieldValueKind Kind { get; }

    public int RowCount { get; }

    public byte[] Data { get; }

    public byte[]? Kinds { get; }

    public string[]? Dictionary { get; }

    /// <summary>Rows with a numeric value (what <c>count</c> counts).</summary>
    public long NumericCount { get; }

    /// <summary>The smallest numeric value as a double (first of equals in row order, as a row scan finds it).</summary>
    public double Min { get; }

    /// <summary>The largest numeric value as a double.</summary>
    public double Max { get; }

    /// <summary>Whether the words are doubles coded by <see cref="DoubleCodec"/>.</summary>
    public bool IsDoubleCoded => Kind == FieldValueKind.Float && Kinds is null;

    /// <summary>The codec's name for the memory report.</summary>
    public string CodecName => Dictionary is not null && Kinds is null ? "dictionary " + Int64Codec.Name(Data)
        : IsDoubleCoded ? DoubleCodec.Name(Data) : Int64Codec.Name(Data);

    /// <summary>Encoded bytes, the arrays' object headers included.</summary>
    public long ByteCount
    {
        get
        {
            long bytes = 48 + 24 + Data.Length;
            if (Kinds is not null)
            {
                bytes += 24 + Kinds.Length;
            }

            if (Dictionary is not null)
            {
                bytes += 24 + (8L * Dictionary.Length);
                foreach (var text in Dictionary)
                {
                    bytes += 22 + (2L * text.Length);
                }
            }

            return bytes;
        }
    }

    /// <summary>Encodes the first <paramref name="count"/> rows of a column.</summary>
    public static SealedColumn Seal(Column column, int count)
    {
        var rowCount = Math.Min(column.RowCount, count);
        var kindBytes = column.Kinds;
        var source = column.Words;
        var strings = column.Strings;
        var words = ArrayPool<long>.Shared.Rent(Math.Max(1, count));
        try
        {
            var span = words.AsSpan(0, count);
            source[..rowCount].CopyTo(span);
            span[rowCount..].Clear();
            long numeric = 0;
            double min = 0, max = 0;
            List<string>? dictionary = null;
            Dictionary<string, int>? lookup = null;
            for (var r = 0; r < rowCount; r++)
            {
                var kind = kindBytes is null ? column.Kind : (FieldValueKind)(kindBytes[r] - 1);
                if (kindBytes is not null && kindBytes[r] == 0)
                {
                    continue;
                }

                if (kind == FieldValueKind.String)
                {
                    var text = strings![r]!;
                    dictionary ??= [];
                    lookup ??= new Dictionary<string, int>(StringComparer.Ordinal);
                    if (!lookup.TryGetValue(text, out var index))
                    {
                        index = dictionary.Count;
                        dictionary.Add(text);
                        lookup.Add(text, index);
                    }

                    span[r] = index;
                    continue;
                }

                var value = FieldValue.ToDouble(kind, span[r]);
                if (numeric++ == 0)
                {
                    min = value;
                    max = value;
                }
                else
                {
                    if (value < min)
                    {
                        min = value;
                    }

                    if (value > max)
                    {
                        max = value;
                    }
                }
            }

            byte[]? kinds = null;
            if (kindBytes is not null)
            {
                var kindWords = ArrayPool<long>.Shared.Rent(count);
                try
                {
                    for (var r = 0; r < count; r++)
                    {
                        kindWords[r] = r < rowCount ? kindBytes[r] : 0;
                    }

                    kinds = Int64Codec.Encode(kindWords.AsSpan(0, count));
                }
                finally
                {
                    ArrayPool<long>.Shared.Return(kindWords);
                }
            }

            var data = column.Kind == FieldValueKind.Float && kindBytes is null ? DoubleCodec.Encode(span) : Int64Codec.Encode(span);
            return new SealedColumn(column.Kind, rowCount, data, kinds, dictionary?.ToArray(), numeric, min, max);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(words);
        }
    }

    /// <summary>Decodes the column's <paramref name="count"/> rows, into <paramref name="buffer"/> when given (a query's scratch).</summary>
    public Column Decode(int count, long[]? buffer = null)
    {
        var bits = buffer ?? new long[count];
        var span = bits.AsSpan(0, count);
        if (IsDoubleCoded)
        {
            DoubleCodec.Decode(Data, span);
        }
        else
        {
            Int64Codec.Decode(Data, span);
        }

        byte[]? kinds = null;
        if (Kinds is not null)
        {
            var kindWords = ArrayPool<long>.Shared.Rent(Math.Max(1, count));
            try
            {
                Int64Codec.Decode(Kinds, kindWords.AsSpan(0, count));
                kinds = new byte[count];
                for (var r = 0; r < count; r++)
                {
                    kinds[r] = (byte)kindWords[r];
                }
            }
            finally
            {
                ArrayPool<long>.Shared.Return(kindWords);
            }
        }

        string?[]? strings = null;
        if (Dictionary is not null)
        {
            strings = new string?[count];
            for (var r = 0; r < RowCount; r++)
            {
                var kind = kinds is null ? Kind : (FieldValueKind)(kinds[r] - 1);
                if ((kinds is null || kinds[r] != 0) && kind == FieldValueKind.String)
                {
                    strings[r] = Dictionary[span[r]];
                    span[r] = 0;
                }
            }
        }

        return new Column(bits, Kind, kinds, strings, RowCount);
    }
}
