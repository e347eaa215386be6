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

    /// <summary>The same row at another place in write order.</summary>
    public ChunkRow WithSequence(long sequence) => new(Day, sequence, SeriesId, Ticks, Fields, Numbers, NumbersWithNulls, Kinds, Integers, Texts);

    /// <summary>The value at a field-major position as a double: null where absent or text.</summary>
    public double? NumberAt(int index) => Numbers is { } numbers ? numbers[index] : NumbersWithNulls![index];

    /// <summary>The kind byte at a field-major position (0 absent, else 1 + <see cref="FieldValueKind"/>).</summary>
    public byte KindAt(int index) => Kinds?[index] ?? FloatKind;

    /// <summary>The rows of points of one series in one day, in their order, at most <paramref name="capacity"/> points each.</summary>
    public static IEnumerable<ChunkRow> Build(int seriesId, long day, List<(long Ticks, FieldSet Fields)> points, int capacity = StoredChunk.Capacity)
    {
        for (var offset = 0; offset < points.Count; offset += capacity)
        {
            yield return Build(seriesId, day, points, offset, Math.Min(capacity, points.Count - offset));
        }
    }

    /// <summary>
    /// Encodes points straight into the stored columns: <c>numbers</c> as a plain array when no value is absent or text,
    /// <c>kinds</c> only when a value is not a double, <c>integers</c> only when one is beyond ±2^53, <c>texts</c> only
    /// when there are strings.
    /// </summary>
    private static ChunkRow Build(int seriesId, long day, List<(long Ticks, FieldSet Fields)> points, int offset, int count)
    {
        // Columns in order of first appearance; points of one producer share their names array, so its column map is reused.
        var names = new List<string>(4);
        string[]? lastNames = null;
        var columns = Array.Empty<int>();
        var ticks = new long[count];
        for (var r = 0; r < count; r++)
        {
            var (tick, fields) = points[offset + r];
            ticks[r] = tick;
            if (!ReferenceEquals(fields.NameArray, lastNames))
            {
                lastNames = fields.NameArray;
                foreach (var name in lastNames)
                {
                    if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        var size = names.Count * count;
        var numbers = new double[size];
        var kinds = new byte[size];
        long[]? integers = null;
        MemoryStream? texts = null;
        var allDoubles = true;
        var integersInNumbers = true;
        lastNames = null;
        for (var r = 0; r < count; r++)
        {
            var fields = points[offset + r].Fields;
            if (!ReferenceEquals(fields.NameArray, lastNames))
            {
                lastNames = fields.NameArray;
                columns = new int[lastNames.Length];
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = names.IndexOf(lastNames[i]) * count;
                }
            }

            var values = fields.ValueSpan;
            allDoubles &= values.Length == names.Count;
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                var at = columns[i] + r;
                kinds[at] = (byte)(1 + (int)value.Kind);
                switch (value.Kind)
                {
                    case FieldValueKind.Float:
                        numbers[at] = BitConverter.Int64BitsToDouble(value.RawBits);
                        break;
                    case FieldValueKind.String:
                        allDoubles = false;
                        break;
                    default:
                        allDoubles = false;
                        value.TryGetDouble(out var number);
                        numbers[at] = number;
                        (integers ??= new long[size])[at] = value.RawBits;
                        integersInNumbers &= StoredChunk.IntegerBits(value.Kind, number) == value.RawBits;
                        break;
                }
            }
        }

        var nulls = false;
        if (!allDoubles)
        {
            // Strings in value order (field-major), each after its int32 length.
            Span<byte> length = stackalloc byte[4];
            for (var i = 0; i < size; i++)
            {
                nulls |= kinds[i] is 0 or StringKind;
                if (kinds[i] == StringKind)
                {
                    var (_, fields) = points[offset + (i % count)];
                    fields.TryGetValue(names[i / count], out var value);
                    value.TryGetString(out var text);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(text!);
                    BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
                    texts ??= new MemoryStream();
                    texts.Write(length);
                    texts.Write(bytes);
                }
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

        var fieldNames = new byte[names.Count][];
        for (var f = 0; f < fieldNames.Length; f++)
        {
            fieldNames[f] = System.Text.Encoding.UTF8.GetBytes(names[f]);
        }

        return new ChunkRow(day, 0, seriesId, ticks, fieldNames, nulls ? null : numbers, withNulls, allDoubles ? null : kinds, integersInNumbers ? null : integers, texts?.ToArray());
    }

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
    /// when a point needs them, as <see cref="Build(int, long, List{ValueTuple{long, FieldSet}}, int)"/> writes them. Nothing is decoded into points.
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

        var head = segments[0].Row;
        return new ChunkRow(
            head.Day, 0, head.SeriesId, ticks, [.. fields], nulls ? null : numbers, withNulls, allDoubles ? null : kinds,
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
