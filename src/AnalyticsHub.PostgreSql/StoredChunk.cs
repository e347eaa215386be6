using System.Buffers.Binary;
using System.Text;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// One row of <c>ts_chunks</c> decoded: up to <see cref="Capacity"/> points of one series in one UTC day, a timestamp
/// column and one value column per field, in write order.
/// </summary>
/// <remarks>
/// The columns as stored: <c>numbers</c> holds every value field-major (field f, row r at <c>f * count + r</c>) as the
/// double aggregations read (NULL where the field is absent or text), so SQL can aggregate a field by slicing the array;
/// <c>kinds</c> (one byte per value: 0 absent, else 1 + <see cref="FieldValueKind"/>) is NULL when every value is a
/// double; <c>integers</c> keeps integers and booleans exactly, at the same positions, but only when one of them is
/// beyond ±2^53 (since migration 6; NULL otherwise: each is then exactly its double in <c>numbers</c>, which halves what a
/// chunk of integer fields writes and stores); <c>texts</c> the UTF-8 strings
/// in value order, each after its int32 length (NULL when there are none). Names are UTF-8 <c>bytea</c>: PostgreSQL text
/// cannot hold U+0000 and a field name or string value may.
/// </remarks>
internal sealed class StoredChunk
{
    /// <summary>Points per chunk, as the in-memory store's chunks.</summary>
    public const int Capacity = 1024;

    public StoredChunk(long day, long sequence, int seriesId, long[] ticks, string[] fields, FieldValue?[] values)
    {
        Day = day;
        Sequence = sequence;
        SeriesId = seriesId;
        Ticks = ticks;
        Fields = fields;
        Values = values;
    }

    /// <summary>The UTC day's start (ticks): the partition key.</summary>
    public long Day { get; }

    /// <summary>The row's sequence (write order); 0 for a chunk not stored yet.</summary>
    public long Sequence { get; }

    public int SeriesId { get; }

    public long[] Ticks { get; }

    public string[] Fields { get; }

    /// <summary>Field-major values, null where a point lacks the field.</summary>
    public FieldValue?[] Values { get; }

    public int Count => Ticks.Length;

    public static long DayOf(long ticks) => ticks - (ticks % TimeSpan.TicksPerDay);

    /// <summary>The point's fields as a set, present ones only.</summary>
    public FieldSet FieldsAt(int row)
    {
        var present = 0;
        for (var f = 0; f < Fields.Length; f++)
        {
            present += Values[(f * Count) + row] is null ? 0 : 1;
        }

        var names = new string[present];
        var values = new FieldValue[present];
        var i = 0;
        for (var f = 0; f < Fields.Length; f++)
        {
            if (Values[(f * Count) + row] is { } value)
            {
                names[i] = Fields[f];
                values[i++] = value;
            }
        }

        return FieldSet.FromArrays(names, values);
    }

    /// <summary>The points whose time is outside <c>[start, end)</c>, in order; empty when none are.</summary>
    public List<(long Ticks, FieldSet Fields)> PointsOutside(long start, long end)
    {
        var kept = new List<(long, FieldSet)>(Count);
        for (var r = 0; r < Count; r++)
        {
            if (Ticks[r] < start || Ticks[r] >= end)
            {
                kept.Add((Ticks[r], FieldsAt(r)));
            }
        }

        return kept;
    }

    /// <summary>Decodes a stored row's columns.</summary>
    public static StoredChunk Decode(ChunkRow row)
    {
        var (day, sequence, seriesId, ticks, fields, kinds, integers, texts) = (row.Day, row.Sequence, row.SeriesId, row.Ticks, row.Fields, row.Kinds, row.Integers, row.Texts);
        var length = fields.Length * ticks.Length;
        var names = new string[fields.Length];
        for (var f = 0; f < names.Length; f++)
        {
            names[f] = Encoding.UTF8.GetString(fields[f]);
        }

        var stored = row.Numbers?.Length ?? row.NumbersWithNulls!.Length;
        if (stored != length || (kinds is not null && kinds.Length != length))
        {
            throw new InvalidDataException($"Chunk {sequence} of series {seriesId} has {stored} values for {ticks.Length} points and {names.Length} fields.");
        }

        var values = new FieldValue?[length];
        var textOffset = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var kind = kinds is null ? 1 : kinds[i];
            values[i] = kind switch
            {
                0 => null,
                1 => FieldValue.FromRaw(FieldValueKind.Float, BitConverter.DoubleToInt64Bits(row.NumberAt(i)!.Value), null),
                1 + (int)FieldValueKind.String => FieldValue.FromString(ReadText(texts!, ref textOffset)),
                _ => FieldValue.FromRaw((FieldValueKind)(kind - 1), integers?[i] ?? IntegerBits((FieldValueKind)(kind - 1), row.NumberAt(i)!.Value), null),
            };
        }

        return new StoredChunk(day, sequence, seriesId, ticks, names, values);
    }

    /// <summary>An integer's or boolean's raw bits from its double: exact when the double is (within ±2^53), the test for writing <c>integers</c>.</summary>
    public static long IntegerBits(FieldValueKind kind, double number) =>
        kind == FieldValueKind.UnsignedInteger ? unchecked((long)(ulong)number) : (long)number;

    private static string ReadText(byte[] texts, ref int offset)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(texts.AsSpan(offset));
        var text = Encoding.UTF8.GetString(texts, offset + 4, length);
        offset += 4 + length;
        return text;
    }
}
