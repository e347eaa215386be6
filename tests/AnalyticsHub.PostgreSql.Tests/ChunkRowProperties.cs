using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>Compaction's column-wise merge against the obvious baseline: decode every row into points, concatenate, encode them again.</summary>
public sealed class ChunkRowProperties
{
    private static readonly string[] Names = ["latency_ms", "token_count", "cached", "model", "cost_usd"];

    /// <summary>Rows of random size, field sets and kinds (doubles, integers beyond 2^53, booleans, strings, absent fields).</summary>
    private static List<ChunkRow> RandomRows(Random random, bool inTimeOrder)
    {
        var rows = new List<ChunkRow>();
        var tick = 1_000L;
        var count = random.Next(2, 9);
        for (var c = 0; c < count; c++)
        {
            var names = Names.Where(_ => random.Next(3) > 0).DefaultIfEmpty("latency_ms").ToArray();
            var points = new List<(long Ticks, FieldSet Fields)>();
            var size = random.Next(1, random.Next(2) == 0 ? 12 : 700);
            for (var r = 0; r < size; r++)
            {
                tick += random.Next(0, 3); // ties across and within rows
                var fields = new Dictionary<string, FieldValue>();
                foreach (var name in names.Where(_ => random.Next(5) > 0).DefaultIfEmpty(names[0]))
                {
                    fields[name] = name switch
                    {
                        "token_count" => random.Next(4) == 0 ? FieldValue.FromInt64((1L << 53) + random.Next(1, 99)) : FieldValue.FromInt64(random.Next(-5, 5000)),
                        "cached" => FieldValue.FromBoolean(random.Next(2) == 0),
                        "model" => FieldValue.FromString(random.Next(3) == 0 ? "" : "gpt-" + random.Next(9) + "\u0000é"),
                        _ => FieldValue.FromDouble(Math.Round(random.NextDouble() * 1000, 1)),
                    };
                }

                points.Add((inTimeOrder ? tick : random.Next(0, 5000), new FieldSet(fields)));
            }

            rows.AddRange(ChunkRow.Build(7, 0, points));
        }

        return rows;
    }

    private static List<(long Ticks, FieldSet Fields)> Points(IEnumerable<ChunkRow> rows)
    {
        var points = new List<(long, FieldSet)>();
        foreach (var row in rows)
        {
            var chunk = StoredChunk.Decode(row);
            for (var r = 0; r < chunk.Count; r++)
            {
                points.Add((chunk.Ticks[r], chunk.FieldsAt(r)));
            }
        }

        return points;
    }

    private static string Show(List<(long Ticks, FieldSet Fields)> points) => string.Join("\n", points.Select(p =>
        $"{p.Ticks}:{string.Join(",", p.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value.Kind}/{f.Value}"))}"));

    /// <summary>The merged rows hold every point of the inputs, in order, with each value's kind and bits, in full chunks but the last.</summary>
    [Property(MaxTest = 60)]
    public void Concatenate_AnyRows_HoldTheDecodedPointsInWriteOrderInFullChunks(int seed)
    {
        var random = new Random(seed);
        var rows = RandomRows(random, random.Next(2) == 0);

        var merged = ChunkRow.Concatenate(rows, StoredChunk.Capacity);

        Assert.Equal(Show(Points(rows)), Show(Points(merged)));
        Assert.All(merged.SkipLast(1), row => Assert.Equal(StoredChunk.Capacity, row.Count));
        Assert.InRange(merged[^1].Count, 1, StoredChunk.Capacity);
    }

    /// <summary>The merge writes the optional columns exactly when the baseline's encoding would: no kinds for doubles alone, no integers within 2^53, no texts without strings.</summary>
    [Property(MaxTest = 60)]
    public void Concatenate_AnyRows_WritesTheOptionalColumnsAsTheEncoderWould(int seed)
    {
        var random = new Random(seed);
        var rows = RandomRows(random, true);

        var merged = ChunkRow.Concatenate(rows, StoredChunk.Capacity);
        var baseline = ChunkRow.Build(7, 0, Points(rows)).ToList();

        Assert.Equal(baseline.Count, merged.Count);
        for (var i = 0; i < merged.Count; i++)
        {
            Assert.Equal(baseline[i].Ticks, merged[i].Ticks);
            Assert.Equal(baseline[i].Kinds is null, merged[i].Kinds is null);
            Assert.Equal(baseline[i].Integers is null, merged[i].Integers is null);
            Assert.Equal(baseline[i].Texts is null, merged[i].Texts is null);
            Assert.Equal(baseline[i].Numbers is null, merged[i].Numbers is null);
        }
    }

    [Fact]
    public void MergeRows_RowsInTimeOrder_ConcatenatesTheStoredColumnsAsTheyAre()
    {
        var rows = new[] { (0L, 3), (3L, 2), (5L, 4) }.Select(r => Row(r.Item1, r.Item2)).ToList();

        var merged = Assert.Single(PostgreSqlTimeSeriesStore.MergeRows(7, 0, rows));

        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7, 8], merged.Ticks);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 20, 30, 40, 50, 60, 70, 80], merged.Numbers!);
        Assert.Null(merged.Kinds);
    }

    [Fact]
    public void MergeRows_OverlappingRows_SortsThePointsByTimeKeepingWriteOrderAmongTies()
    {
        var late = Row(2, 3, offset: 100); // ticks 2, 3, 4: overlaps the first row's 0..4
        var rows = new List<ChunkRow> { Row(0, 5), late };

        var merged = Assert.Single(PostgreSqlTimeSeriesStore.MergeRows(7, 0, rows));

        Assert.Equal([0L, 1, 2, 2, 3, 3, 4, 4], merged.Ticks);
        Assert.Equal([0.0, 1, 2, 102, 3, 103, 4, 104], merged.Numbers!.Take(8));
    }

    /// <summary>A row of <paramref name="count"/> points from tick <paramref name="from"/>: latency = tick + offset, tokens = 10 x tick.</summary>
    private static ChunkRow Row(long from, int count, double offset = 0) => Assert.Single(ChunkRow.Build(7, 0, [.. Enumerable.Range(0, count).Select(i =>
        (from + i, new FieldSet(new Dictionary<string, FieldValue> { ["latency_ms"] = FieldValue.FromDouble(from + i + offset), ["tokens"] = FieldValue.FromDouble((from + i) * 10) })))]));
}
