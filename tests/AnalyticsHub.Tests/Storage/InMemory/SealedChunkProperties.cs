using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>Sealing (encoding chunks column by column) never changes what a query returns.</summary>
public class SealedChunkProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["a", "b", "c"];
    private static readonly string?[] Windows = [null, null, "1m", "1h", "1d"];
    private static readonly AggregationFunction[] SummaryFunctions = [AggregationFunction.Count, AggregationFunction.Min, AggregationFunction.Max];
    private static readonly AggregationFunction[] AllFunctions =
    [
        AggregationFunction.Count, AggregationFunction.Min, AggregationFunction.Max, AggregationFunction.Mean, AggregationFunction.Sum,
        AggregationFunction.First, AggregationFunction.Last, AggregationFunction.Stddev, AggregationFunction.Median, AggregationFunction.ForPercentile(95),
    ];

    private static readonly double[] Specials = [0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1e-300, 1e300, 0.1];
    private static readonly long[] ExtremeLongs = [long.MinValue, long.MaxValue, 0, -1];

    internal static List<TimeSeriesPoint> Generate(Random random)
    {
        var points = new List<TimeSeriesPoint>();
        var count = random.Next(0, 700);
        var spanSeconds = random.Next(3) switch { 0 => 600, 1 => 7200, _ => 3 * 86400 };
        var ordered = random.Next(2) == 0;
        var ticks = Origin.UtcTicks;
        for (var i = 0; i < count; i++)
        {
            ticks = ordered
                ? ticks + (random.Next(4) == 0 ? 0 : random.NextInt64(0, spanSeconds * TimeSpan.TicksPerSecond / Math.Max(1, count)))
                : Origin.UtcTicks + random.NextInt64(0, spanSeconds * TimeSpan.TicksPerSecond);
            var fields = new List<KeyValuePair<string, FieldValue>>();
            if (random.Next(10) != 0)
            {
                fields.Add(new("v", random.Next(12) switch
                {
                    0 => FieldValue.FromDouble(Specials[random.Next(Specials.Length)]),
                    1 => FieldValue.FromDouble(random.NextDouble() * 1e6),
                    _ => FieldValue.FromDouble(Math.Round(random.NextDouble() * 4000, 1)),
                }));
            }

            if (random.Next(3) != 0)
            {
                fields.Add(new("n", random.Next(15) == 0 ? FieldValue.FromInt64(ExtremeLongs[random.Next(ExtremeLongs.Length)]) : FieldValue.FromInt64(random.Next(50, 4050))));
            }

            if (random.Next(5) == 0)
            {
                fields.Add(new("m", random.Next(4) switch
                {
                    0 => FieldValue.FromString("s" + random.Next(3)),
                    1 => FieldValue.FromBoolean(random.Next(2) == 0),
                    2 => FieldValue.FromUInt64(ulong.MaxValue - (ulong)random.Next(3)),
                    _ => FieldValue.FromDouble(random.Next(-5, 5) / 2.0),
                }));
            }

            if (fields.Count == 0)
            {
                fields.Add(new("c", FieldValue.FromInt64(7)));
            }

            points.Add(new TimeSeriesPoint
            {
                Measurement = "llm_request",
                Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero),
                Tags = new TagSet { SourceModule = "llm-observatory", Environment = "prod", ModelId = Models[random.Next(Models.Length)] },
                Fields = new FieldSet(fields),
            });
        }

        return points;
    }

    private static TimeSeriesQuery RandomQuery(Random random, bool summaryOnly)
    {
        var start = Origin.AddSeconds(random.Next(4) == 0 ? random.Next(0, 3600) : 0);
        var end = random.Next(4) == 0 ? start.AddSeconds(random.Next(60, 86_400)) : Origin.AddDays(4);
        if (!summaryOnly && random.Next(4) == 0)
        {
            return new TimeSeriesQuery { Measurement = "llm_request", TimeRange = new TimeRange(start, end) };
        }

        var functions = summaryOnly ? SummaryFunctions : AllFunctions;
        var window = Windows[random.Next(Windows.Length)];
        var aggregations = new List<Aggregation>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            aggregations.Add(new Aggregation { Function = functions[random.Next(functions.Length)], Window = window, Fields = random.Next(3) == 0 ? [] : ["v", "n", "m"] });
        }

        return new TimeSeriesQuery
        {
            Measurement = "llm_request",
            TimeRange = new TimeRange(start, end),
            Aggregations = aggregations,
            GroupBy = random.Next(2) == 0 ? ["model_id"] : [],
        };
    }

    private static async Task<(TimeSeriesResult Raw, TimeSeriesResult Sealed)> Run(int seed, bool summaryOnly)
    {
        var random = new Random(seed);
        var points = Generate(random);
        var raw = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 65_536, SealChunks = false });
        var sealedStore = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });
        for (var i = 0; i < points.Count; i += 50)
        {
            var batch = points.GetRange(i, Math.Min(50, points.Count - i));
            await raw.WritePointsAsync(batch);
            await sealedStore.WritePointsAsync(batch);
        }

        sealedStore.SealOpenChunks();
        var query = RandomQuery(random, summaryOnly);
        var a = await raw.QueryAsync(query);
        var b = await sealedStore.QueryAsync(query);
        Assert.True(a.Result is not null, string.Join("; ", a.Errors));
        return (a.Result!, b.Result!);
    }

    internal static void AssertSameResult(TimeSeriesResult expected, TimeSeriesResult actual)
    {
        Assert.Equal(expected.Series.Count, actual.Series.Count);
        for (var s = 0; s < expected.Series.Count; s++)
        {
            Assert.Equal(expected.Series[s].Tags, actual.Series[s].Tags);
            var e = expected.Series[s].Points;
            var a = actual.Series[s].Points;
            Assert.Equal(e.Count, a.Count);
            for (var p = 0; p < e.Count; p++)
            {
                Assert.Equal(e[p].Timestamp, a[p].Timestamp);
                Assert.Equal(e[p].Values.Count, a[p].Values.Count);
                foreach (var (name, value) in e[p].Values)
                {
                    Assert.True(a[p].Values.TryGetValue(name, out var other), name);
                    Assert.Equal(value?.Kind, other?.Kind);
                    Assert.Equal(value?.RawBits, other?.RawBits);
                    Assert.Equal(value?.ToString(), other?.ToString());
                }
            }
        }

        Assert.Equal(expected.Metadata.PointCount, actual.Metadata.PointCount);

        // points_scanned is left out: it counts the rows of chunks that pruning kept, and chunk boundaries differ by design.
        Assert.Equal(expected.Metadata.GroupCount, actual.Metadata.GroupCount);
    }

    [Property(MaxTest = 200)]
    public async Task QueryAsync_SealedChunks_SameResultsAsRawArrays(int seed)
    {
        var (raw, sealedResult) = await Run(seed, summaryOnly: false);
        AssertSameResult(raw, sealedResult);
    }

    [Property(MaxTest = 200)]
    public async Task QueryAsync_CountMinMaxFromChunkHeaders_SameResultsAsFullDecoding(int seed)
    {
        var (raw, sealedResult) = await Run(seed, summaryOnly: true);
        AssertSameResult(raw, sealedResult);
    }

    [Fact]
    public void Seal_ChunkMadeWithRoomForMoreFields_SealsTheSameAsOneGrownForItsOwn()
    {
        // A head made with slots for the series' 7 fields, holding values of fields 0 and 2 only, seals like a chunk
        // whose slots grew for those two fields alone: what is sealed does not depend on the fields known at creation.
        var roomy = new ColumnChunk(8, fields: 7);
        var grown = new ColumnChunk(8);
        foreach (var chunk in new[] { roomy, grown })
        {
            for (var r = 0; r < 5; r++)
            {
                var row = chunk.AppendTimestamp(Origin.AddSeconds(r).UtcTicks);
                chunk.SetField(0, row, FieldValue.FromDouble(r * 1.5));
                chunk.SetField(2, row, FieldValue.FromInt64(r));
            }
        }

        var fromRoomy = SealedChunk.Seal(roomy);
        var fromGrown = SealedChunk.Seal(grown);

        Assert.Equal(3, fromRoomy.Columns.Length);
        Assert.Equal(fromGrown.Columns.Length, fromRoomy.Columns.Length);
        Assert.Equal(fromGrown.OverheadBytes, fromRoomy.OverheadBytes);
        Assert.Null(fromRoomy.GetColumn(1));
        Assert.Null(fromRoomy.GetColumn(6));
        Assert.Equal(fromGrown.Materialize(default).GetColumn(2)!.RowCount, fromRoomy.Materialize(default).GetColumn(2)!.RowCount);
    }

    [Property(MaxTest = 300)]
    public void Seal_AnyColumn_HeaderAgreesWithDecodedRows(int seed)
    {
        var random = new Random(seed);
        var chunk = new ColumnChunk(1024);
        var rows = random.Next(1, 1025);
        for (var r = 0; r < rows; r++)
        {
            var row = chunk.AppendTimestamp(random.NextInt64());
            if (random.Next(6) == 0)
            {
                continue;
            }

            chunk.SetField(0, row, random.Next(6) switch
            {
                0 => FieldValue.FromDouble(Specials[random.Next(Specials.Length)]),
                1 => FieldValue.FromInt64(ExtremeLongs[random.Next(ExtremeLongs.Length)]),
                2 => FieldValue.FromString("x" + random.Next(4)),
                3 => FieldValue.FromBoolean(random.Next(2) == 0),
                _ => FieldValue.FromDouble(Math.Round(random.NextDouble() * 100, 2)),
            });
        }

        var sealedChunk = SealedChunk.Seal(chunk);
        var header = sealedChunk.GetColumn(0);
        var original = chunk.GetColumn(0);
        if (original is null)
        {
            Assert.Null(header);
            return;
        }

        var decoded = header!.Decode(rows);
        Assert.Equal(chunk.Timestamps.AsSpan(0, rows).ToArray(), sealedChunk.DecodeTimestamps(new long[rows]).ToArray());
        long count = 0;
        double min = 0, max = 0;
        for (var r = 0; r < rows; r++)
        {
            var present = original.TryReadValue(r, out var expected);
            Assert.Equal(present, decoded.TryReadValue(r, out var actual));
            if (!present)
            {
                continue;
            }

            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected.RawBits, actual.RawBits);
            Assert.Equal(expected.ToString(), actual.ToString());
            if (expected.TryGetDouble(out var value))
            {
                if (count++ == 0)
                {
                    min = max = value;
                }
                else
                {
                    min = value < min ? value : min;
                    max = value > max ? value : max;
                }
            }
        }

        Assert.Equal(count, header.NumericCount);
        if (count > 0)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(min), BitConverter.DoubleToInt64Bits(header.Min));
            Assert.Equal(BitConverter.DoubleToInt64Bits(max), BitConverter.DoubleToInt64Bits(header.Max));
        }
    }
}
