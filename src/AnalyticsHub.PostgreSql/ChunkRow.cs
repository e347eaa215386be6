using System.Buffers.Binary;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// One row of <c>ts_chunks</c> as stored, its columns not decoded (the layout is described on <see cref="StoredChunk"/>):
/// what the write path copies and what compaction merges column by column.
/// </summary>
internal sealed class ChunkRow
{
    /// <summary>The value of <c>kinds</c> for a double (1 + <see cref="FieldValueKind.Float"/>).</summary>
    private const byte FloatKind = 1 + (byte)FieldValueKind.Float;

    private const byte StringKind = 1 + (byte)FieldValueKind.String;

    /// <summary>A row; <c>numbers</c> is given as doubles when none is NULL (writes faster than an array of nullables), else with its NULLs.</summary>
    public ChunkRow(long day, long sequence, int seriesId, long[] ticks, byte[][] fields, double[]? numbers, double?[]? numbersWithNulls, byte[]? kinds, long[]? integers, byte[]? texts)
    {
        Day = day;
        Sequence = sequence;
        SeriesId = seriesId;
        Ticks = ticks;
        Fields = fields;
        Numbers = numbers;
        NumbersWithNulls = numbersWithNulls;
        Kinds = kinds;
        Integers = integers;
        Texts = texts;
    }

    public long Day { get; }

    /// <summary>The row's sequence (write order); 0 for a row not stored yet.</summary>
    public long Sequence { get; }

    public int SeriesId { get; }

    public long[] Ticks { get; }

    public byte[][] Fields { get; }

    public double[]? Numbers { get; }

    public double?[]? NumbersWithNulls { get; }

    public byte[]? Kinds { get; }

    public long[]? Integers { get; }

    public byte[]? Texts { get; }

    public int Count => Ticks.Length;

    /// <summary>The value at a field-major position as a double: null where absent or text.</summary>
    public double? NumberAt(int index) => Numbers is { } numbers ? numbers[index] : NumbersWithNulls![index];

    /// <summary>The kind byte at a field-major position (0 absent, else 1 + <see cref="FieldValueKind"/>).</summary>
    public byte KindAt(int index) => Kinds?[index] ?? FloatKind;

    /// <summary>True when no row's time range overlaps an earlier row's: concatenating them keeps time order across rows.</summary>
    public static bool InTimeOrder(IReadOnlyList<ChunkRow> rows)
    {
        var last = long.MinValue;
        foreach (var row in rows)
        {
            var (min, max) = row.TimeBounds();
            if (min < last)
            {
                return false;
            }

            last = max;
        }

        return true;
    }

    public (long Min, long Max) TimeBounds()
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var tick in Ticks)
        {
            min = Math.Min(min, tick);
            max = Math.Max(max, tick);
        }

        return (min, max);
    }

    /// <summary>
    /// Rows of one series and day, in write order, merged column by column into rows of at most
    /// <paramref name="capacity"/> points (the last one shorter): ticks and each field's values are concatenated, a field
    /// missing from a row is absent at its points, and <c>kinds</c>, <c>integers</c> and <c>texts</c> are written only
    /// when a point needs them, as <see cref="StoredChunk.Encode"/> writes them. Nothing is decoded into points.
    /// </summary>
    public static List<ChunkRow> Concatenate(IReadOnlyList<ChunkRow> rows, int capacity)
    {
        var merged = new List<ChunkRow>();
        var segments = new List<(ChunkRow Row, int Start, int Length)>();
        var filled = 0;
        foreach (var row in rows)
        {
            for (var start = 0; start < row.Count;)
            {
                var length = Math.Min(row.Count - start, capacity - filled);
                segments.Add((row, start, length));
                start += length;
                filled += length;
                if (filled == capacity)
                {
                    merged.Add(Merge(segments, filled));
                    segments.Clear();
                    filled = 0;
                }
            }
        }

        if (filled > 0)
        {
            merged.Add(Merge(segments, filled));
        }

        return merged;
    }

    private static ChunkRow Merge(List<(ChunkRow Row, int Start, int Length)> segments, int count)
    {
        // The union of the fields present in the segments, in order of first appearance, and where each segment's row's
        // field goes in it (-1: none of the segment's points has it).
        var fields = new List<byte[]>();
        var places = new int[segments.Count][];
        var anyIntegers = false;
        var anyTexts = false;
        for (var s = 0; s < segments.Count; s++)
        {
            var (row, start, length) = segments[s];
            var place = new int[row.Fields.Length];
            for (var g = 0; g < row.Fields.Length; g++)
            {
                if (row.Kinds is { } rowKinds && !rowKinds.AsSpan((g * row.Count) + start, length).ContainsAnyExcept((byte)0))
                {
                    place[g] = -1;
                    continue;
                }

                var f = fields.FindIndex(name => name.AsSpan().SequenceEqual(row.Fields[g]));
                if (f < 0)
                {
                    f = fields.Count;
                    fields.Add(row.Fields[g]);
                }

                place[g] = f;
            }

            places[s] = place;
            anyIntegers |= row.Integers is not null;
            anyTexts |= row.Texts is not null;
        }

        var size = fields.Count * count;
        var ticks = new long[count];
        var numbers = new double[size];
        var kinds = new byte[size]; // 0: absent, where a row lacks the field
        var integers = anyIntegers ? new long[size] : null;
        var texts = anyTexts ? new MemoryStream() : null;
        var offset = 0;
        for (var s = 0; s < segments.Count; s++)
        {
            var (row, start, length) = segments[s];
            Array.Copy(row.Ticks, start, ticks, offset, length);
            var place = places[s];
            for (var g = 0; g < place.Length; g++)
            {
                if (place[g] < 0)
                {
                    continue;
                }

                var from = (g * row.Count) + start;
                var to = (place[g] * count) + offset;
                if (row.Numbers is { } plain)
                {
                    Array.Copy(plain, from, numbers, to, length);
                }
                else
                {
                    for (var r = 0; r < length; r++)
                    {
                        numbers[to + r] = row.NumbersWithNulls![from + r] ?? 0;
                    }
                }

                if (row.Kinds is { } rowKinds)
                {
                    Array.Copy(rowKinds, from, kinds, to, length);
                }
                else
                {
                    kinds.AsSpan(to, length).Fill(FloatKind);
                }

                if (integers is not null)
                {
                    for (var r = 0; r < length; r++)
                    {
                        var kind = kinds[to + r];
                        if (kind is not (0 or FloatKind or StringKind))
                        {
                            integers[to + r] = row.Integers?[from + r] ?? StoredChunk.IntegerBits((FieldValueKind)(kind - 1), numbers[to + r]);
                        }
                    }
                }
            }

            offset += length;
        }

        if (texts is not null)
        {
            // Strings follow value order, which is field-major: the merged field f takes each segment's strings of f in turn.
            var textOffsets = new int[segments.Count][];
            for (var f = 0; f < fields.Count; f++)
            {
                for (var s = 0; s < segments.Count; s++)
                {
                    var (row, start, length) = segments[s];
                    var g = Array.IndexOf(places[s], f);
                    if (row.Texts is null || g < 0)
                    {
                        continue;
                    }

                    var starts = textOffsets[s] ??= TextOffsets(row);

                    var first = starts[(g * row.Count) + start];
                    texts.Write(row.Texts, first, starts[(g * row.Count) + start + length] - first);
                }
            }
        }

        var allDoubles = true;
        var nulls = false;
        var integersInNumbers = true;
        for (var i = 0; i < size; i++)
        {
            allDoubles &= kinds[i] == FloatKind;
            nulls |= kinds[i] is 0 or StringKind;
            if (integers is not null && kinds[i] is not (0 or FloatKind or StringKind))
            {
                integersInNumbers &= StoredChunk.IntegerBits((FieldValueKind)(kinds[i] - 1), numbers[i]) == integers[i];
            }
        }

        double?[]? withNulls = null;
        if (nulls)
        {
            withNulls = new double?[size];
            for (var i = 0; i < size; i++)
            {
                withNulls[i] = kinds[i] is 0 or StringKind ? null : numbers[i];
            }
        }

        var first0 = segments[0].Row;
        return new ChunkRow(
            first0.Day, 0, first0.SeriesId, ticks, [.. fields], nulls ? null : numbers, withNulls, allDoubles ? null : kinds,
            integersInNumbers ? null : integers, texts is { Length: > 0 } ? texts.ToArray() : null);
    }

    /// <summary>For each field-major position, where its string starts in <see cref="Texts"/> (or would start), plus the end.</summary>
    private static int[] TextOffsets(ChunkRow row)
    {
        var size = row.Fields.Length * row.Count;
        var starts = new int[size + 1];
        var at = 0;
        for (var i = 0; i < size; i++)
        {
            starts[i] = at;
            if (row.KindAt(i) == StringKind)
            {
                at += 4 + BinaryPrimitives.ReadInt32LittleEndian(row.Texts.AsSpan(at));
            }
        }

        starts[size] = at;
        return starts;
    }
}
