using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// A head chunk keeps its series' fields in one shared array (field after field) when made with room for them, and a
/// field of its own otherwise: either way every field reads back exactly what was written, and a reader's view never
/// changes when later rows are written.
/// </summary>
public class ColumnChunkProperties
{
    private static readonly FieldValue[] Values =
    [
        FieldValue.FromDouble(0.0), FieldValue.FromDouble(-0.0), FieldValue.FromDouble(1.5), FieldValue.FromDouble(double.MaxValue),
        FieldValue.FromInt64(long.MinValue), FieldValue.FromInt64(7), FieldValue.FromUInt64(ulong.MaxValue),
        FieldValue.FromBoolean(true), FieldValue.FromString("a"), FieldValue.FromString("bc"),
    ];

    /// <summary>Random writes: per row a timestamp and some fields (mostly doubles; sometimes another kind, a gap, a field past the room made).</summary>
    private static List<(long Ticks, List<(int Field, FieldValue Value)> Fields)> Generate(Random random, int rows, int fields)
    {
        var written = new List<(long, List<(int, FieldValue)>)>();
        var mixed = random.Next(3) == 0;
        for (var r = 0; r < rows; r++)
        {
            var row = new List<(int, FieldValue)>();
            for (var f = 0; f < fields + 2; f++)
            {
                // Fields past `fields` are those a chunk made with room for `fields` adds by growing.
                if (random.Next(f < fields ? 8 : 3) == 0)
                {
                    continue;
                }

                row.Add((f, mixed && random.Next(4) == 0 ? Values[random.Next(Values.Length)] : FieldValue.FromDouble(random.Next(1000) / 8.0)));
            }

            written.Add((random.NextInt64(0, 1L << 50), row));
        }

        return written;
    }

    private static ColumnChunk Write(ColumnChunk chunk, List<(long Ticks, List<(int Field, FieldValue Value)> Fields)> rows, int from, int to)
    {
        for (var r = from; r < to; r++)
        {
            var row = chunk.AppendTimestamp(rows[r].Ticks);
            foreach (var (field, value) in rows[r].Fields)
            {
                chunk.SetField(field, row, value);
            }
        }

        return chunk;
    }

    /// <summary>Asserts that field <paramref name="field"/> of <paramref name="chunk"/> reads exactly the first <paramref name="rows"/> rows' values of it.</summary>
    private static void AssertField(ColumnChunk chunk, List<(long Ticks, List<(int Field, FieldValue Value)> Fields)> written, int rows, int field)
    {
        var expected = new FieldValue?[rows];
        var last = -1;
        for (var r = 0; r < rows; r++)
        {
            foreach (var (f, value) in written[r].Fields)
            {
                if (f == field)
                {
                    expected[r] = value;
                    last = r;
                }
            }
        }

        var column = chunk.GetColumn(field);
        if (last < 0)
        {
            Assert.Null(column);
            return;
        }

        Assert.NotNull(column);
        Assert.Equal(last + 1, column.RowCount);
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(expected[r].HasValue, column.TryReadValue(r, out var actual));
            if (expected[r] is { } value)
            {
                Assert.Equal(value, actual);
                Assert.Equal(value.RawBits, actual.RawBits);
            }
        }

        if (column.TryGetDense(last + 1, out var dense))
        {
            for (var r = 0; r <= last; r++)
            {
                Assert.True(expected[r] is { Kind: FieldValueKind.Float });
                Assert.Equal(expected[r]!.Value.RawBits, BitConverter.DoubleToInt64Bits(dense[r]));
            }
        }
    }

    [Property(MaxTest = 300)]
    public void Fields_InOneSharedArrayOrEachItsOwn_ReadBackWhatWasWritten(int seed)
    {
        var random = new Random(seed);
        var capacity = random.Next(4) switch { 0 => 8, 1 => 32, 2 => 128, _ => 1024 };
        var fields = random.Next(1, 13); // 1,024 rows of more than 8 fields pass the shared array's 64 KiB: own arrays then
        var rows = random.Next(1, capacity + 1);
        var written = Generate(random, rows, fields);

        var shared = Write(new ColumnChunk(capacity, fields), written, 0, rows);
        var own = Write(new ColumnChunk(capacity), written, 0, rows);
        for (var f = 0; f < fields + 3; f++)
        {
            AssertField(shared, written, rows, f);
            AssertField(own, written, rows, f);
        }

        // Sealed, both give the same columns.
        var fromShared = SealedChunk.Seal(shared);
        var fromOwn = SealedChunk.Seal(own);
        Assert.Equal(fromOwn.Columns.Length, fromShared.Columns.Length);
        for (var f = 0; f < fromOwn.Columns.Length; f++)
        {
            Assert.Equal(fromOwn.Columns[f]?.ByteCount, fromShared.Columns[f]?.ByteCount);
            Assert.Equal(fromOwn.Columns[f]?.Data, fromShared.Columns[f]?.Data);
            Assert.Equal(fromOwn.Columns[f]?.Kinds, fromShared.Columns[f]?.Kinds);
        }
    }

    [Property(MaxTest = 200)]
    public void Grow_ThenWriteMore_ReadsEveryRowOfBoth(int seed)
    {
        // A head its estimate left too small grows by copying (8 -> 32 -> 128 ...), then takes more rows.
        var random = new Random(seed);
        var fields = random.Next(1, 10);
        var rows = random.Next(2, 129);
        var written = Generate(random, rows, fields);
        var split = random.Next(1, Math.Min(rows, 8) + 1);

        var chunk = Write(new ColumnChunk(8, fields), written, 0, split);
        var grown = chunk.Grow(ShardWriter.GrownRows(1024, rows));
        Write(grown, written, split, rows);
        for (var f = 0; f < fields + 3; f++)
        {
            AssertField(chunk, written, split, f);
            AssertField(grown, written, rows, f);
        }
    }

    [Property(MaxTest = 200)]
    public void View_TakenBeforeLaterRows_NeverChanges(int seed)
    {
        // A reader's column is the rows as they were when it read them: rows written after (a later batch's) never show.
        var random = new Random(seed);
        var fields = random.Next(1, 8);
        var rows = random.Next(2, 65);
        var written = Generate(random, rows, fields);
        var split = random.Next(1, rows);

        var chunk = Write(new ColumnChunk(64, fields), written, 0, split);
        var before = Enumerable.Range(0, fields + 2).Select(chunk.GetColumn).ToArray();
        var copies = before.Select(c => c is null ? null : Enumerable.Range(0, c.RowCount).Select(r => c.TryReadValue(r, out var v) ? v : (FieldValue?)null).ToArray()).ToArray();
        Write(chunk, written, split, rows);

        for (var f = 0; f < before.Length; f++)
        {
            if (before[f] is not { } column)
            {
                continue;
            }

            Assert.Equal(copies[f]!.Length, column.RowCount);
            for (var r = 0; r < column.RowCount; r++)
            {
                Assert.Equal(copies[f]![r].HasValue, column.TryReadValue(r, out var value));
                Assert.Equal(copies[f]![r] ?? default, value);
            }

            Assert.False(column.TryReadValue(column.RowCount, out _));
        }
    }

    [Fact]
    public void SharedArray_StaysBelowTheLargeObjectHeap()
    {
        // 1,024 rows of 8 fields share one 64 KiB array; of 9 fields, each field gets its own (one shared array would be 72 KiB).
        var eight = new ColumnChunk(1024, 8);
        var nine = new ColumnChunk(1024, 9);
        eight.SetField(0, eight.AppendTimestamp(1), FieldValue.FromDouble(1));
        nine.SetField(0, nine.AppendTimestamp(1), FieldValue.FromDouble(1));

        Assert.Equal(8 * 1024, eight.GetColumn(0)!.Bits.Length);
        Assert.Equal(1024, nine.GetColumn(0)!.Bits.Length);
        Assert.Null(nine.GetColumn(1));
    }
}
