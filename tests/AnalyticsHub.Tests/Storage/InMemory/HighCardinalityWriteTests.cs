using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>The write path at high cardinality: many new series per batch, the cardinality guard, whole-batch visibility.</summary>
public class HighCardinalityWriteTests
{
    private static TimeSeriesPoint TenantPoint(DateTimeOffset at, double latency, int model, int tenant, string environment = "production") => new()
    {
        Measurement = "llm_request",
        Timestamp = at,
        Tags = new TagSet
        {
            SourceModule = "llm-observatory",
            Environment = environment,
            ModelId = "m" + model,
            Custom = new Dictionary<string, string> { ["tenant"] = "t" + tenant },
        },
        Fields = Fields(("latency_ms", latency)),
    };

    private static TimeSeriesQuery CountQuery(IReadOnlyDictionary<string, string>? filters = null, params string[] groupBy) =>
        Query(null, Agg(AggregationFunction.Count, null, "latency_ms"), Agg(AggregationFunction.Sum, null, "latency_ms")) with
        {
            TagFilters = filters ?? new Dictionary<string, string>(),
            GroupBy = groupBy,
        };

    private static long Count(TimeSeriesResultSeries series) =>
        series.Points[0].Values["latency_ms_count"]!.Value.TryGetInt64(out var n) ? n : -1;

    [Fact]
    public async Task WritePointsAsync_ThousandsOfNewSeriesPerBatch_IndexAndQueriesMatchEveryPoint()
    {
        var store = new InMemoryTimeSeriesStore();

        // Three batches of 2,000 points over 40 models x 100 tenants: most series are new in the first batch, some in each later one.
        var all = new List<TimeSeriesPoint>();
        var random = new Random(7);
        for (var b = 0; b < 3; b++)
        {
            var batch = Enumerable.Range(0, 2000).Select(i => TenantPoint(T0.AddSeconds((b * 2000) + i), random.Next(1, 100), random.Next(40), random.Next(100))).ToArray();
            var result = await store.WritePointsAsync(batch);
            Assert.True(result.IsSuccess);
            Assert.Equal(batch.Select(p => p.Tags).Distinct().Count(t => !all.Any(p => p.Tags.Equals(t))), result.SeriesCreated);
            all.AddRange(batch);
        }

        var series = all.GroupBy(p => (p.Tags.ModelId, p.Tags.Custom["tenant"])).ToDictionary(g => g.Key, g => g.ToList());
        var described = await store.DescribeSeriesAsync("llm_request");
        Assert.Equal(series.Count, described.Count);
        Assert.Equal(series.Values.Select(s => (long)s.Count).Order(), described.Select(d => d.PointCount).Order());

        var cardinality = await store.GetCardinalityAsync("llm_request");
        Assert.Equal(series.Count, cardinality.SeriesCount);
        Assert.Equal(all.Select(p => p.Tags.Custom["tenant"]).Distinct().Count(), cardinality.Tags.Single(t => t.Tag == "tenant").DistinctValues);
        Assert.Equal(40, cardinality.Tags.Single(t => t.Tag == "model_id").DistinctValues);

        // Posting lists: a filter on one tenant, and a group-by model, against the points themselves.
        var tenant = (await store.QueryAsync(CountQuery(new Dictionary<string, string> { ["tenant"] = "t42" }))).Result!;
        Assert.Equal(all.Count(p => p.Tags.Custom["tenant"] == "t42"), Count(Assert.Single(tenant.Series)));
        var byModel = (await store.QueryAsync(CountQuery(null, "model_id"))).Result!;
        Assert.Equal(
            all.GroupBy(p => p.Tags.ModelId!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count())),
            byModel.Series.Select(s => (s.Tags["model_id"], Count(s))).OrderBy(x => x.Item1, StringComparer.Ordinal));
        var sum = (await store.QueryAsync(CountQuery())).Result!.Series[0].Points[0].Values["latency_ms_sum"];
        Assert.Equal(all.Sum(p => p.Fields.LatencyMs!.Value), Number(sum));
    }

    [Fact]
    public async Task WritePointsAsync_BatchPassingSeriesLimit_RejectedWholeAndLeavesNothing()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions
        {
            Cardinality = new TimeSeriesCardinalityLimits { MaxSeriesPerMeasurement = 100 },
        });
        Assert.True((await store.WritePointsAsync([.. Enumerable.Range(0, 90).Select(i => TenantPoint(T0, 1, 0, i))])).IsSuccess);
        var memory = store.DescribeMemory();

        // Points to existing series first, then 11 new series: one too many.
        var batch = Enumerable.Range(0, 20).Select(i => TenantPoint(T0.AddSeconds(1), 5, 0, i))
            .Concat(Enumerable.Range(0, 11).Select(i => TenantPoint(T0.AddSeconds(1), 5, 1, i))).ToArray();
        var rejected = await store.WritePointsAsync(batch);

        var error = Assert.Single(rejected.Errors);
        Assert.Equal((ProblemCodes.SeriesLimitExceeded, "points[30].tags"), (error.Code, error.Path));
        Assert.Equal((0UL, 0UL), ((ulong)rejected.PointsWritten, (ulong)rejected.SeriesCreated));
        Assert.Equal(90, (await store.GetCardinalityAsync("llm_request")).SeriesCount);
        Assert.Equal(1, (await store.GetCardinalityAsync("llm_request")).Tags.Single(t => t.Tag == "model_id").DistinctValues);
        Assert.Equal(90, (await store.DescribeSeriesAsync()).Count);
        Assert.Equal(90L, store.DescribeMemory().PointCount);
        Assert.Equal(memory.PointCount, store.DescribeMemory().PointCount);
        Assert.Empty((await store.QueryAsync(CountQuery(new Dictionary<string, string> { ["model_id"] = "m1" }))).Result!.Series);
        Assert.Equal(90, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));

        // The same batch with exactly the room left goes in whole.
        var accepted = await store.WritePointsAsync(batch[..30]);
        Assert.Equal((30L, 10L), ((long)accepted.PointsWritten, (long)accepted.SeriesCreated));
        Assert.Equal(100, (await store.GetCardinalityAsync("llm_request")).SeriesCount);
    }

    [Fact]
    public async Task WritePointsAsync_NewTagValuesInOneBatchPassingTagLimit_RejectedWholeAndLeavesNothing()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions
        {
            Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = 5 },
        });
        Assert.True((await store.WritePointsAsync([TenantPoint(T0, 1, 0, 0), TenantPoint(T0, 1, 0, 1)])).IsSuccess);

        // Tenants 1 (known), 2, 3, 4 fit; 2 again is no new value; 5 is the sixth distinct value.
        var rejected = await store.WritePointsAsync([
            TenantPoint(T0, 1, 1, 1), TenantPoint(T0, 1, 1, 2), TenantPoint(T0, 1, 1, 3), TenantPoint(T0, 1, 2, 2), TenantPoint(T0, 1, 1, 4), TenantPoint(T0, 1, 1, 5),
        ]);

        var error = Assert.Single(rejected.Errors);
        Assert.Equal((ProblemCodes.TagCardinalityExceeded, "points[5].tags.tenant"), (error.Code, error.Path));
        var report = await store.GetCardinalityAsync("llm_request");
        Assert.Equal(2, report.SeriesCount);
        Assert.Equal(2, report.Tags.Single(t => t.Tag == "tenant").DistinctValues);
        Assert.Equal(1, report.Tags.Single(t => t.Tag == "model_id").DistinctValues);
    }

    [Fact]
    public async Task WritePointsAsync_AfterRejectedBatches_NextBatchSeesNothingOfThem()
    {
        // The store reuses one write's scratch (new series by key, new tag values and series counts) for the next: a
        // rejected batch must leave nothing in it, or the next batch would be counted against its values or resolve a
        // point to a series that was never stored.
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions
        {
            Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = 5, MaxSeriesPerMeasurement = 6 },
        });
        Assert.True((await store.WritePointsAsync([TenantPoint(T0, 1, 0, 0)])).IsSuccess);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var rejected = await store.WritePointsAsync([.. Enumerable.Range(1, 5).Select(t => TenantPoint(T0, 2, 0, t))]);
            Assert.Equal(ProblemCodes.TagCardinalityExceeded, Assert.Single(rejected.Errors).Code);
        }

        var accepted = await store.WritePointsAsync([.. Enumerable.Range(1, 4).Select(t => TenantPoint(T0.AddSeconds(t), 3, 0, t))]);
        Assert.True(accepted.IsSuccess, string.Join("; ", accepted.Errors));
        Assert.Equal((4L, 4L), ((long)accepted.PointsWritten, (long)accepted.SeriesCreated));

        var again = await store.WritePointsAsync([TenantPoint(T0.AddSeconds(9), 4, 0, 4), TenantPoint(T0.AddSeconds(9), 4, 1, 4)]);
        Assert.Equal((2L, 1L), ((long)again.PointsWritten, (long)again.SeriesCreated));
        var series = await store.DescribeSeriesAsync();
        Assert.Equal([0, 1, 2, 3, 4, 5], series.Select(s => s.SeriesId));
        Assert.Equal([1L, 1L, 1L, 1L, 2L, 1L], series.Select(s => s.PointCount));
        Assert.Equal(7, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));
    }

    [Fact]
    public async Task WriteAndQuery_ReaderDuringBatchesThatCreateManySeries_SeesWholeBatchesOnly()
    {
        var store = new InMemoryTimeSeriesStore();
        const int Batches = 30, NewPerBatch = 40;

        // Batch b writes one point (value 1) to each of the first (b + 1) * 40 series: it creates 40 series and
        // appends to every older one, so a reader must see a triangular total and exactly that many series.
        var totals = new HashSet<long> { 0 };
        for (var b = 1; b <= Batches; b++)
        {
            totals.Add(NewPerBatch * (long)b * (b + 1) / 2);
        }

        using var done = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                var result = (await store.QueryAsync(CountQuery(null, "model_id", "tenant"))).Result!;
                var total = result.Series.Sum(Count);
                Assert.Contains(total, totals);
                var batches = (int)Math.Round((Math.Sqrt(1 + (8.0 * total / NewPerBatch)) - 1) / 2);
                Assert.Equal(batches * NewPerBatch, result.Series.Count);
                var described = await store.DescribeSeriesAsync("llm_request");
                Assert.Equal(0, described.Count % NewPerBatch);
                reads++;
            }
        });

        for (var b = 0; b < Batches; b++)
        {
            var points = Enumerable.Range(0, (b + 1) * NewPerBatch).Select(s => TenantPoint(T0.AddSeconds(b), 1, s / NewPerBatch, s % NewPerBatch)).ToArray();
            Assert.True((await store.WritePointsAsync(points)).IsSuccess);
        }

        done.Cancel();
        await reader;
        var final = (await store.QueryAsync(CountQuery(null, "model_id", "tenant"))).Result!;
        Assert.Equal(Batches * NewPerBatch, final.Series.Count);
        Assert.All(final.Series, s => Assert.InRange(Count(s), 1, Batches));
    }

    [Fact]
    public async Task DeleteRangeAsync_AfterManySeries_RemovesOnlyMatchingTagsAndKeepsIndex()
    {
        var store = new InMemoryTimeSeriesStore();
        await store.WritePointsAsync([.. Enumerable.Range(0, 300).Select(i => TenantPoint(T0.AddSeconds(i), 1, i % 3, i))]);

        var deleted = await store.DeleteRangeAsync("llm_request", new TimeRange(T0, T0.AddDays(1)), new Dictionary<string, string> { ["model_id"] = "m1" });

        Assert.Equal(100, deleted);
        Assert.Equal(200, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));
        Assert.Equal(300, (await store.GetCardinalityAsync("llm_request")).SeriesCount);
    }

    [Fact]
    public async Task Write_BatchesNoReaderSawYet_EveryReadAndWriterOperationIncludesThem()
    {
        // The store publishes a snapshot when a reader asks, not per batch: batches written with no read in between
        // must still be seen by the next query, description, delete and sealing.
        var store = new InMemoryTimeSeriesStore();
        Assert.True((await store.WritePointsAsync([.. Enumerable.Range(0, 50).Select(i => TenantPoint(T0.AddSeconds(i), 1, 0, i))])).IsSuccess);
        Assert.Equal(50, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));
        for (var b = 1; b <= 4; b++)
        {
            // Each batch appends to the 50 first series and creates 50 new ones (model b).
            var points = Enumerable.Range(0, 50).Select(i => TenantPoint(T0.AddSeconds((b * 100) + i), 1, 0, i))
                .Concat(Enumerable.Range(0, 50).Select(i => TenantPoint(T0.AddSeconds((b * 100) + i), 1, b, i)));
            Assert.True((await store.WritePointsAsync([.. points])).IsSuccess);
        }

        Assert.Equal(450, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));
        var described = await store.DescribeSeriesAsync("llm_request");
        Assert.Equal(250, described.Count);
        Assert.Equal(450, described.Sum(d => d.PointCount));
        Assert.Equal(T0.AddSeconds(449), described.Max(d => d.LastTimestamp));

        // A delete right after unread writes removes their points too: batch 4 (100 points) and model 5 (50, created by the write just before).
        Assert.True((await store.WritePointsAsync([.. Enumerable.Range(0, 50).Select(i => TenantPoint(T0.AddSeconds(500 + i), 1, 5, i))])).IsSuccess);
        Assert.Equal(150, await store.DeleteRangeAsync("llm_request", new TimeRange(T0.AddSeconds(400), T0.AddSeconds(600))));
        Assert.Equal(350, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));

        // Sealing after unread writes keeps every point.
        Assert.True((await store.WritePointsAsync([.. Enumerable.Range(0, 50).Select(i => TenantPoint(T0.AddSeconds(700 + i), 1, 6, i))])).IsSuccess);
        store.SealOpenChunks();
        Assert.Equal(400, Count((await store.QueryAsync(CountQuery())).Result!.Series[0]));
        Assert.Equal(400, store.DescribeMemory().PointCount);
        Assert.Equal(400, store.DescribeMemory().SealedPointCount);
    }
}
