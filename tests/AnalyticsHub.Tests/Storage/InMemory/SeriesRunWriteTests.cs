using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// The store writes a batch series by series (each series' run in one call, its head chunk sized once): what it stores
/// is exactly what writing the same points one call per point stores — the same series, ids, fields, rows in the same
/// order, sealed chunks — whatever the interleaving, order, time shards and chunk boundaries of the batch.
/// </summary>
public sealed class SeriesRunWriteTests
{
    private static readonly TimeRange All = new(T0.AddDays(-3), T0.AddDays(3));
    private static readonly string[] Measurements = ["llm_request", "llm_cost"];

    private static TimeSeriesPoint At(TagSet tags, DateTimeOffset at, FieldSet fields, string measurement = "llm_request") => new()
    {
        Measurement = measurement,
        Timestamp = at,
        Tags = tags,
        Fields = fields,
    };

    /// <summary>Writes <paramref name="batches"/> to one store a batch per call, and their points to another a point per call.</summary>
    private static async Task<(InMemoryTimeSeriesStore Runs, InMemoryTimeSeriesStore Single)> WriteBothWays(IEnumerable<IReadOnlyList<TimeSeriesPoint>> batches, int chunkSize)
    {
        var runs = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = chunkSize });
        var single = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = chunkSize });
        foreach (var batch in batches)
        {
            var written = await runs.WritePointsAsync(batch);
            Assert.True(written.IsSuccess, string.Join("; ", written.Errors));
            Assert.Equal(batch.Count, written.PointsWritten);
            foreach (var point in batch)
            {
                Assert.True((await single.WritePointsAsync([point])).IsSuccess);
            }
        }

        return (runs, single);
    }

    /// <summary>Asserts that two stores hold the same series (ids, tags, fields, counts, bounds), the same rows and the same sealed chunks.</summary>
    private static async Task AssertSameStored(InMemoryTimeSeriesStore expected, InMemoryTimeSeriesStore actual)
    {
        var e = await expected.DescribeSeriesAsync();
        var a = await actual.DescribeSeriesAsync();
        Assert.Equal(e.Count, a.Count);
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].SeriesId, a[i].SeriesId);
            Assert.Equal(e[i].Measurement, a[i].Measurement);
            Assert.Equal(e[i].Tags, a[i].Tags);
            Assert.Equal(e[i].Fields, a[i].Fields);
            Assert.Equal(e[i].PointCount, a[i].PointCount);
            Assert.Equal(e[i].FirstTimestamp, a[i].FirstTimestamp);
            Assert.Equal(e[i].LastTimestamp, a[i].LastTimestamp);
        }

        foreach (var measurement in Measurements)
        {
            var query = new TimeSeriesQuery { Measurement = measurement, TimeRange = All };
            var rawExpected = await expected.QueryAsync(query);
            var rawActual = await actual.QueryAsync(query);
            Assert.True(rawExpected.Result is not null, string.Join("; ", rawExpected.Errors));
            SealedChunkProperties.AssertSameResult(rawExpected.Result!, rawActual.Result!);

            // First and last per series and hour follow the rows' stored order among equal timestamps.
            var ordered = query with
            {
                GroupBy = ["model_id", "tenant"],
                Aggregations = [Agg(AggregationFunction.First, "1h"), Agg(AggregationFunction.Last, "1h"), Agg(AggregationFunction.Count, "1h")],
            };
            var orderedExpected = await expected.QueryAsync(ordered);
            Assert.True(orderedExpected.Result is not null, string.Join("; ", orderedExpected.Errors));
            SealedChunkProperties.AssertSameResult(orderedExpected.Result!, (await actual.QueryAsync(ordered)).Result!);
        }

        var memoryExpected = expected.DescribeMemory();
        var memoryActual = actual.DescribeMemory();
        Assert.Equal(memoryExpected.PointCount, memoryActual.PointCount);
        Assert.Equal(memoryExpected.SealedChunkCount, memoryActual.SealedChunkCount);
        Assert.Equal(memoryExpected.SealedPointCount, memoryActual.SealedPointCount);
        Assert.Equal(memoryExpected.SealedBytes, memoryActual.SealedBytes);
    }

    [Fact]
    public async Task WritePointsAsync_ManySeriesInterleaved_StoresWhatPointByPointWritesStore()
    {
        // 500 series (50 models x 10 tenants), each point's series drawn at random: runs of 1 to ~20 points, interleaved.
        var random = new Random(11);
        var tags = Enumerable.Range(0, 500).Select(i => Tags("m" + (i % 50), custom: new() { ["tenant"] = "t" + (i / 50) })).ToArray();
        var batch = Enumerable.Range(0, 5_000)
            .Select(i => At(tags[random.Next(tags.Length)], T0.AddSeconds(i), Fields(("latency_ms", random.Next(1, 500)), ("tokens", i))))
            .ToArray();

        var (runs, single) = await WriteBothWays([batch], chunkSize: 64);

        await AssertSameStored(single, runs);
        Assert.Equal(500, (await runs.DescribeSeriesAsync()).Count);
    }

    [Fact]
    public async Task WritePointsAsync_OutOfOrderPointsInsideARun_KeptInBatchOrderAcrossShards()
    {
        // One series' run goes back and forth between three days (three time shards) and repeats timestamps.
        var tags = Tags();
        int[] hours = [10, 2, 11, -20, 10, 30, 9, -20, 12, 31, 10];
        var batch = hours.Select((h, i) => At(tags, T0.AddHours(h), Fields(("latency_ms", i)))).ToArray();

        var (runs, single) = await WriteBothWays([batch, Enumerable.Reverse(batch).ToArray()], chunkSize: 64);

        await AssertSameStored(single, runs);
        var first = (await runs.QueryAsync(Query(new TimeRange(T0.AddHours(10), T0.AddHours(10).AddMinutes(1)), Agg(AggregationFunction.First, null, "latency_ms")))).Result!;
        Assert.Equal(0, Number(first.Series[0].Points[0].Values["latency_ms_first"]));
    }

    [Fact]
    public async Task WritePointsAsync_RunCrossingChunkBoundaries_FullChunksSealedAsPointByPoint()
    {
        // 300 points of one series in a batch with chunks of 64 rows: four full chunks and an open head of 44 rows,
        // interleaved with a sparse series; then a second batch continues the run past the next boundary.
        var hot = Tags("hot");
        var sparse = Tags("sparse");
        var first = Enumerable.Range(0, 300)
            .Select(i => At(i % 37 == 0 ? sparse : hot, T0.AddSeconds(i), Fields(("latency_ms", i))))
            .ToArray();
        var second = Enumerable.Range(300, 50).Select(i => At(hot, T0.AddSeconds(i), Fields(("latency_ms", i)))).ToArray();

        var (runs, single) = await WriteBothWays([first, second], chunkSize: 64);

        await AssertSameStored(single, runs);
        var memory = runs.DescribeMemory();
        Assert.Equal(350, memory.PointCount);
        Assert.Equal(5, memory.SealedChunkCount);
        Assert.Equal(5 * 64, memory.SealedPointCount);
    }

    [Fact]
    public async Task WritePointsAsync_RejectedBatchOfManySeries_LeavesNothingAndLaterBatchesMatch()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });
        var good = Enumerable.Range(0, 200).Select(i => At(Tags("m" + (i % 7)), T0.AddSeconds(i), Fields(("latency_ms", i)))).ToList();
        var bad = good.Append(At(Tags("m1"), T0, FieldSet.Empty)).ToArray();

        var rejected = await store.WritePointsAsync(bad);

        Assert.False(rejected.IsSuccess);
        Assert.Equal("points[200].fields", rejected.Errors[0].Path);
        Assert.Empty(await store.DescribeSeriesAsync());
        Assert.True((await store.WritePointsAsync(good)).IsSuccess);
        var single = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });
        foreach (var point in good)
        {
            await single.WritePointsAsync([point]);
        }

        await AssertSameStored(single, store);
    }

    [Theory]
    [InlineData(0, 1, 8)]
    [InlineData(0, 5, 8)]
    [InlineData(0, 9, 16)]
    [InlineData(0, 300, 512)]
    [InlineData(100, 1, 128)]
    [InlineData(100, 200, 256)]
    [InlineData(5_000, 1, 1024)]
    [InlineData(0, 5_000, 1024)]
    public void HeadForAppend_FirstHead_SizedOnceForThePreviousWindowOrTheRowsAtHand(int expectedRows, int rows, int capacity)
    {
        var shard = new ShardWriter(0, seal: true) { ExpectedRows = expectedRows };

        Assert.Equal(capacity, shard.HeadForAppend(1024, TimeSpan.TicksPerDay, rows).Capacity);
    }

    [Fact]
    public void HeadForAppend_AfterAFullChunk_NextSizedAtTheRateThatFilledIt()
    {
        // 1,024 rows a minute apart fill a chunk in 1,023 minutes of the day: the 417 minutes left at that rate are
        // ~418 rows, so the next head takes 512, not 8 grown by copying.
        var shard = new ShardWriter(T0.UtcTicks / TimeSpan.TicksPerDay, seal: true);
        for (var i = 0; i < 1024; i++)
        {
            shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1).AppendTimestamp(T0.AddMinutes(i).UtcTicks);
        }

        var next = shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1);

        Assert.Equal(0, next.Count);
        Assert.Equal(512, next.Capacity);
    }

    [Fact]
    public void HeadForAppend_HeadTooSmall_GrowsFourfoldKeepingItsRows()
    {
        var shard = new ShardWriter(0, seal: true);
        var head = shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1);
        for (var i = 0; i < 8; i++)
        {
            shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1).AppendTimestamp(i);
        }

        var grown = shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1);

        Assert.Equal(8, head.Capacity);
        Assert.Equal(32, grown.Capacity);
        Assert.Equal(8, grown.Count);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7], grown.Timestamps.AsSpan(0, 8).ToArray());
        Assert.Same(grown, shard.HeadForAppend(1024, TimeSpan.TicksPerDay, 1));
    }

    [Theory]
    [InlineData(16, 1, 32)]
    [InlineData(16, 20, 128)]
    [InlineData(32, 1, 128)]
    [InlineData(512, 1, 1024)]
    [InlineData(64, 1, 128)]
    public void HeadForAppend_HeadSizedForARunFills_GrowsToTheNextFourfoldStep(int rowsOfFirstRun, int rows, int capacity)
    {
        // A head sized for a run (a power of two) grows to the next of 8, 32, 128, 512, 1,024 rows, as a head started at
        // 8 rows would be: a 16-row head grows to 32, not to 64 and then 256 and a whole chunk.
        var shard = new ShardWriter(0, seal: true);
        for (var i = 0; i < rowsOfFirstRun; i++)
        {
            shard.HeadForAppend(1024, TimeSpan.TicksPerDay, rowsOfFirstRun - i).AppendTimestamp(i);
        }

        Assert.Equal(capacity, shard.HeadForAppend(1024, TimeSpan.TicksPerDay, rows).Capacity);
    }

    [Fact]
    public void AppendRun_SeriesMovesToTheNextDay_FirstHeadSizedForThePreviousDaysPoints()
    {
        var writer = new SeriesWriter(0, "llm_request", Tags(), TimeSpan.TicksPerDay, 1024, seal: true);
        var day0 = Enumerable.Range(0, 100).Select(i => At(writer.Tags, T0.AddMinutes(i), Fields(("latency_ms", i)))).ToArray();
        var day1 = At(writer.Tags, T0.AddDays(1), Fields(("latency_ms", 1)));
        Assert.True(writer.TryAddFields(day0[0].Fields.NameArray, 100, out _));

        writer.AppendRun(PointColumns.From(day0), [.. Enumerable.Range(0, 100)]);
        writer.AppendRun(PointColumns.From([day1]), [0]);

        var state = writer.Publish();
        Assert.Equal(101, state.PointCount);
        Assert.Equal(2, state.Shards.Length);
        Assert.Null(state.Shards[0].Chunks[0].Chunk);
        Assert.Equal(100, state.Shards[0].Chunks[0].Count);
        Assert.Equal(128, state.Shards[1].Chunks[0].Chunk!.Capacity);
    }

    /// <summary>Random batches: series of two measurements (tag sets shared or rebuilt per point), mixed field kinds and names, out-of-order and cross-day timestamps.</summary>
    internal static List<TimeSeriesPoint[]> RandomBatches(Random random)
    {
        var seriesCount = random.Next(1, 60);
        var shared = Enumerable.Range(0, seriesCount).Select(s => Tags("m" + (s % 9), custom: new() { ["tenant"] = "t" + (s / 9) })).ToArray();
        var batches = new List<TimeSeriesPoint[]>();
        var ticks = T0.UtcTicks;
        for (var b = random.Next(1, 6); b > 0; b--)
        {
            var batch = new TimeSeriesPoint[random.Next(1, 400)];
            for (var i = 0; i < batch.Length; i++)
            {
                var s = random.Next(3) == 0 ? random.Next(Math.Min(3, seriesCount)) : random.Next(seriesCount);
                var tags = random.Next(4) == 0 ? Tags("m" + (s % 9), custom: new() { ["tenant"] = "t" + (s / 9) }) : shared[s];
                ticks += random.Next(5) == 0 ? 0 : random.NextInt64(0, TimeSpan.TicksPerMinute * 10);
                var at = random.Next(8) == 0 ? ticks + random.NextInt64(-2 * TimeSpan.TicksPerDay, TimeSpan.TicksPerDay) : ticks;
                var fields = new List<KeyValuePair<string, FieldValue>> { new("latency_ms", FieldValue.FromDouble(random.Next(1, 1000) / 4.0)) };
                if (random.Next(3) == 0)
                {
                    fields.Add(new("n" + random.Next(3), random.Next(3) switch
                    {
                        0 => FieldValue.FromInt64(random.Next(-5, 5)),
                        1 => FieldValue.FromString("s" + random.Next(3)),
                        _ => FieldValue.FromBoolean(random.Next(2) == 0),
                    }));
                }

                batch[i] = At(tags, new DateTimeOffset(Math.Clamp(at, All.Start.UtcTicks, All.End.UtcTicks - 1), TimeSpan.Zero), new FieldSet(fields), Measurements[s % 5 == 4 ? 1 : 0]);
            }

            batches.Add(batch);
        }

        return batches;
    }

    [Property(MaxTest = 60)]
    public async Task WritePointsAsync_AnyBatches_StoresExactlyWhatPointByPointWritesStore(int seed)
    {
        var random = new Random(seed);
        var batches = RandomBatches(random);
        var (runs, single) = await WriteBothWays(batches, chunkSize: random.Next(2) == 0 ? 64 : 1024);

        await AssertSameStored(single, runs);
    }
}
