using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ITimeSeriesStore"/> backend must have. A backend's test class derives from this
/// and creates its store; the in-memory store is the executable specification.
/// </summary>
public abstract class TimeSeriesStoreContractTests
{
    /// <summary>Creates an empty store with at most <paramref name="maxValuesPerTag"/> distinct values per custom tag key and <paramref name="maxSeries"/> series per measurement.</summary>
    protected abstract ITimeSeriesStore CreateStore(int maxValuesPerTag = 1_000, int maxSeries = 100_000);

    private static async Task<TimeSeriesResult> QueryOk(ITimeSeriesStore store, TimeSeriesQuery query)
    {
        var outcome = await store.QueryAsync(query);
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Select(e => $"{e.Code} {e.Path} {e.Message}")));
        return outcome.Result!;
    }

    [Fact]
    public async Task WriteAsync_ValidBatch_StoresEveryPoint()
    {
        var store = CreateStore();
        var batch = new TimeSeriesBatch
        {
            BatchId = "b1", Measurement = "llm_request", CreatedAt = T0,
            Points = [Point(T0, 100), Point(T0.AddSeconds(1), 200), Point(T0.AddSeconds(2), 300, model: "claude")],
        };

        var result = await store.WriteAsync(batch);

        Assert.True(result.IsSuccess);
        Assert.Equal(3, result.PointsWritten);
        Assert.Equal(2, result.SeriesCreated);
        var series = await store.DescribeSeriesAsync("llm_request");
        Assert.Equal(3, series.Sum(s => s.PointCount));
        Assert.Equal(["latency_ms"], series[0].Fields);
    }

    [Fact]
    public async Task WriteAsync_PointOfAnotherMeasurement_RejectsWholeBatch()
    {
        var store = CreateStore();
        var batch = new TimeSeriesBatch
        {
            BatchId = "b1", Measurement = "llm_request", CreatedAt = T0,
            Points = [Point(T0, 100), Point(T0, 100, measurement: "other")],
        };

        var result = await store.WriteAsync(batch);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ProblemCodes.MeasurementMismatch, error.Code);
        Assert.Equal("points[1].measurement", error.Path);
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Fact]
    public async Task WritePointsAsync_PointWithoutFields_RejectsWithPathAndStoresNothing()
    {
        var store = CreateStore();
        var empty = Point(T0, 1) with { Fields = FieldSet.Empty };

        var result = await store.WritePointsAsync([Point(T0, 1), empty]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ProblemCodes.FieldsRequired, error.Code);
        Assert.Equal("points[1].fields", error.Path);
        Assert.Equal(0, result.PointsWritten);
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Fact]
    public async Task WritePointsAsync_CustomTagRepeatingKnownKey_Rejects()
    {
        var store = CreateStore();
        var point = Point(T0, 1) with { Tags = Tags(custom: new() { ["region"] = "x" }) };

        var result = await store.WritePointsAsync([point]);

        Assert.Equal(ProblemCodes.InvalidTag, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public async Task WritePointsAsync_TagCardinalityExceeded_ErrorNamesTagAndNothingOfBatchStored()
    {
        var store = CreateStore(maxValuesPerTag: 3);
        var ok = await store.WritePointsAsync([.. Enumerable.Range(0, 3).Select(i => Point(T0, 1) with { Tags = Tags(custom: new() { ["user"] = "u" + i }) })]);
        Assert.True(ok.IsSuccess);

        var batch = new[] { Point(T0.AddMinutes(1), 5), Point(T0, 1) with { Tags = Tags(custom: new() { ["user"] = "u9" }) } };
        var result = await store.WritePointsAsync(batch);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ProblemCodes.TagCardinalityExceeded, error.Code);
        Assert.Equal("points[1].tags.user", error.Path);
        Assert.Contains("'user'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await store.DescribeSeriesAsync()).Count);
        Assert.Equal(3, (await store.DescribeSeriesAsync()).Sum(s => s.PointCount));
        var cardinality = await store.GetCardinalityAsync("llm_request");
        Assert.Equal(3, cardinality.Tags.Single(t => t.Tag == "user").DistinctValues);
    }

    [Fact]
    public async Task WritePointsAsync_NewValuesWithinOneBatchOverLimit_Rejects()
    {
        var store = CreateStore(maxValuesPerTag: 2);

        var result = await store.WritePointsAsync([.. Enumerable.Range(0, 3).Select(i => Point(T0, 1) with { Tags = Tags(custom: new() { ["user"] = "u" + i }) })]);

        Assert.Equal("points[2].tags.user", Assert.Single(result.Errors).Path);
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Fact]
    public async Task WritePointsAsync_SeriesLimitExceeded_Rejects()
    {
        var store = CreateStore(maxSeries: 2);

        var result = await store.WritePointsAsync([Point(T0, 1, model: "a"), Point(T0, 1, model: "b"), Point(T0, 1, model: "c")]);

        Assert.Equal(ProblemCodes.SeriesLimitExceeded, Assert.Single(result.Errors).Code);
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Fact]
    public async Task QueryAsync_OutOfOrderAndLateWrites_RawPointsInTimeOrder()
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0.AddHours(30), 3), Point(T0.AddHours(1), 1)]);
        await store.WritePointsAsync([Point(T0.AddHours(2), 2), Point(T0.AddMinutes(-5), 0)]);

        var result = await QueryOk(store, Query(new TimeRange(T0.AddDays(-1), T0.AddDays(2))));

        var points = Assert.Single(result.Series).Points;
        Assert.Equal([0, 1, 2, 3], points.Select(p => Number(p.Values["latency_ms"])));
        Assert.Equal([T0.AddMinutes(-5), T0.AddHours(1), T0.AddHours(2), T0.AddHours(30)], points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task QueryAsync_IntegerAndUnsignedFields_ReturnedLosslessly()
    {
        var store = CreateStore();
        var fields = new FieldSet([
            new("big", FieldValue.FromUInt64(ulong.MaxValue)),
            new("signed", FieldValue.FromInt64(long.MinValue)),
            new("name", FieldValue.FromString("x")),
            new("ok", FieldValue.FromBoolean(true)),
        ]);
        await store.WritePointsAsync([Point(T0, 1) with { Fields = fields }]);

        var values = Assert.Single(Assert.Single((await QueryOk(store, Query())).Series).Points).Values;

        Assert.Equal(FieldValue.FromUInt64(ulong.MaxValue), values["big"]);
        Assert.Equal(FieldValue.FromInt64(long.MinValue), values["signed"]);
        Assert.Equal(FieldValue.FromString("x"), values["name"]);
        Assert.Equal(FieldValue.FromBoolean(true), values["ok"]);
    }

    [Fact]
    public async Task QueryAsync_WindowAndGroupBy_ComputesEveryAggregation()
    {
        var store = CreateStore();
        var points = new List<TimeSeriesPoint>();
        for (var i = 1; i <= 10; i++)
        {
            points.Add(Point(T0.AddSeconds(i), i * 10, model: "a"));
            points.Add(Point(T0.AddMinutes(5).AddSeconds(i), i, model: "b"));
        }

        await store.WritePointsAsync(points);
        var query = Query(null,
            Agg(AggregationFunction.Mean, "5m", "latency_ms"), Agg(AggregationFunction.ForPercentile(95), "5m", "latency_ms"),
            Agg(AggregationFunction.Count, "5m", "latency_ms"), Agg(AggregationFunction.Median, "5m", "latency_ms"),
            Agg(AggregationFunction.First, "5m", "latency_ms"), Agg(AggregationFunction.Last, "5m", "latency_ms"),
            Agg(AggregationFunction.Stddev, "5m", "latency_ms"), Agg(AggregationFunction.Min, "5m", "latency_ms"),
            Agg(AggregationFunction.Max, "5m", "latency_ms"), Agg(AggregationFunction.Sum, "5m", "latency_ms")) with { GroupBy = ["model_id"] };

        var result = await QueryOk(store, query);

        Assert.Equal(2, result.Series.Count);
        Assert.Equal("a", result.Series[0].Tags["model_id"]);
        var a = Assert.Single(result.Series[0].Points);
        Assert.Equal(T0, a.Timestamp);
        Assert.Equal(55, Number(a.Values["latency_ms_mean"]));
        Assert.Equal(95.5, Number(a.Values["latency_ms_p95"]), 12);
        Assert.Equal(FieldValue.FromInt64(10), a.Values["latency_ms_count"]);
        Assert.Equal(55, Number(a.Values["latency_ms_median"]));
        Assert.Equal(10, Number(a.Values["latency_ms_first"]));
        Assert.Equal(100, Number(a.Values["latency_ms_last"]));
        Assert.Equal(30.276503540974915, Number(a.Values["latency_ms_stddev"]), 10);
        Assert.Equal(10, Number(a.Values["latency_ms_min"]));
        Assert.Equal(100, Number(a.Values["latency_ms_max"]));
        Assert.Equal(550, Number(a.Values["latency_ms_sum"]));
        Assert.Equal(T0.AddMinutes(5), Assert.Single(result.Series[1].Points).Timestamp);
        Assert.Equal(2UL, result.Metadata.GroupCount);
        Assert.Equal(20UL, result.Metadata.PointsScanned);
    }

    [Fact]
    public async Task QueryAsync_TagFilter_ScansOnlyMatchingSeries()
    {
        var store = CreateStore();
        var points = new List<TimeSeriesPoint>();
        for (var i = 0; i < 100; i++)
        {
            points.Add(Point(T0.AddSeconds(i), i, model: "m" + (i % 10)));
        }

        await store.WritePointsAsync(points);
        var query = Query(null, Agg(AggregationFunction.Count)) with { TagFilters = new Dictionary<string, string> { ["model_id"] = "m3" } };

        var result = await QueryOk(store, query);

        Assert.Equal(10UL, result.Metadata.PointsScanned);
        Assert.Equal(FieldValue.FromInt64(10), result.Series[0].Points[0].Values["latency_ms_count"]);
    }

    [Fact]
    public async Task QueryAsync_TimeRange_SkipsShardsOutsideIt()
    {
        var store = CreateStore();
        await store.WritePointsAsync([.. Enumerable.Range(0, 10).Select(d => Point(T0.AddDays(d), d))]);

        var result = await QueryOk(store, Query(new TimeRange(T0.AddDays(3), T0.AddDays(5)), Agg(AggregationFunction.Count)));

        Assert.Equal(2UL, result.Metadata.PointsScanned);
        Assert.Equal(FieldValue.FromInt64(2), result.Series[0].Points[0].Values["latency_ms_count"]);
    }

    [Theory]
    [InlineData(TagConditionOperator.Ne, new[] { "a" }, new[] { "b", "c" })]
    [InlineData(TagConditionOperator.In, new[] { "a", "c", "zzz" }, new[] { "a", "c" })]
    [InlineData(TagConditionOperator.Regex, new[] { "^[bc]$" }, new[] { "b", "c" })]
    [InlineData(TagConditionOperator.Eq, new[] { "b" }, new[] { "b" })]
    public async Task QueryAsync_TagCondition_SelectsMatchingSeries(TagConditionOperator op, string[] values, string[] expected)
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0, 1, model: "a"), Point(T0, 2, model: "b"), Point(T0, 3, model: "c")]);
        var query = Query() with { TagConditions = [new TagCondition { Tag = "model_id", Op = op, Values = values }] };

        var result = await QueryOk(store, query);

        Assert.Equal(expected, result.Series.Select(s => s.Tags["model_id"]));
    }

    [Fact]
    public async Task QueryAsync_NeOnAbsentTag_MatchesSeriesWithoutTheTag()
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0, 1, region: "eu"), Point(T0, 2)]);
        var query = Query() with { TagConditions = [new TagCondition { Tag = "region", Op = TagConditionOperator.Ne, Values = ["eu"] }] };

        var result = await QueryOk(store, query);

        Assert.False(Assert.Single(result.Series).Tags.ContainsKey("region"));
    }

    [Theory]
    [InlineData("null", new[] { 1.0, double.NaN, double.NaN, 4.0 })]
    [InlineData("previous", new[] { 1.0, 1.0, 1.0, 4.0 })]
    [InlineData("linear", new[] { 1.0, 2.0, 3.0, 4.0 })]
    [InlineData("zero", new[] { 1.0, 0.0, 0.0, 4.0 })]
    [InlineData("value", new[] { 1.0, 7.0, 7.0, 4.0 })]
    public async Task QueryAsync_FillStrategy_FillsEmptyBuckets(string strategy, double[] expected)
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0, 1), Point(T0.AddMinutes(3), 4)]);
        var fill = strategy switch
        {
            "null" => FillStrategy.Null,
            "previous" => FillStrategy.Previous,
            "linear" => FillStrategy.Linear,
            "zero" => FillStrategy.Zero,
            _ => FillStrategy.WithValue(7),
        };
        var query = Query(new TimeRange(T0, T0.AddMinutes(4)), Agg(AggregationFunction.Mean, "1m", "latency_ms")) with { Fill = fill };

        var points = Assert.Single((await QueryOk(store, query)).Series).Points;

        Assert.Equal(4, points.Count);
        Assert.Equal(expected, points.Select(p => p.Values["latency_ms_mean"] is { } v && v.TryGetDouble(out var d) ? d : double.NaN));
    }

    [Fact]
    public async Task QueryAsync_NoFill_LeavesEmptyBucketsOut()
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0, 1), Point(T0.AddMinutes(3), 4)]);

        var points = Assert.Single((await QueryOk(store, Query(null, Agg(AggregationFunction.Mean, "1m")))).Series).Points;

        Assert.Equal([T0, T0.AddMinutes(3)], points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task QueryAsync_LimitAndOffset_PageEachSeries()
    {
        var store = CreateStore();
        await store.WritePointsAsync([.. Enumerable.Range(0, 10).Select(i => Point(T0.AddMinutes(i), i))]);

        var result = await QueryOk(store, Query() with { Limit = 3, Offset = 2 });

        Assert.Equal([2, 3, 4], Assert.Single(result.Series).Points.Select(p => Number(p.Values["latency_ms"])));
        Assert.Equal(3UL, result.Metadata.PointCount);
    }

    [Fact]
    public async Task QueryAsync_MalformedQuery_ReturnsErrorsNotException()
    {
        var store = CreateStore();

        var outcome = await store.QueryAsync(Query(new TimeRange(T0, T0), Agg(AggregationFunction.ForPercentile(101), "5x")));

        Assert.False(outcome.IsSuccess);
        Assert.Equal(
            ["invalid_percentile aggregations[0].function", "invalid_time_range time_range", "invalid_window aggregations[0].window"],
            outcome.Errors.Select(e => e.Code + " " + e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_UnknownMeasurement_EmptyResultWithWarning()
    {
        var store = CreateStore();

        var result = await QueryOk(store, Query() with { Measurement = "nothing" });

        Assert.Empty(result.Series);
        Assert.Single(result.Metadata.Warnings);
    }

    [Fact]
    public async Task DeleteRangeAsync_Range_RemovesOnlyPointsInside()
    {
        var store = CreateStore();
        await store.WritePointsAsync([.. Enumerable.Range(0, 48).Select(h => Point(T0.AddHours(h), h, model: h % 2 == 0 ? "a" : "b"))]);

        var deleted = await store.DeleteRangeAsync("llm_request", new TimeRange(T0.AddHours(10), T0.AddHours(30)), new Dictionary<string, string> { ["model_id"] = "a" });

        Assert.Equal(10, deleted);
        var result = await QueryOk(store, Query(new TimeRange(T0, T0.AddDays(3)), Agg(AggregationFunction.Count)) with { GroupBy = ["model_id"] });
        Assert.Equal([14L, 24L], result.Series.Select(s => { s.Points[0].Values["latency_ms_count"]!.Value.TryGetInt64(out var n); return n; }));
        await store.WritePointsAsync([Point(T0.AddHours(12), 1, model: "a")]);
        Assert.Equal(15, (await store.DescribeSeriesAsync()).Single(s => s.Tags.ModelId == "a").PointCount);
    }

    [Fact]
    public async Task GetCardinalityAsync_AfterWrites_CountsSeriesAndDistinctValues()
    {
        var store = CreateStore();
        await store.WritePointsAsync([Point(T0, 1, model: "a"), Point(T0, 1, model: "b"), Point(T0, 1, model: "b", environment: "dev")]);

        var report = await store.GetCardinalityAsync("llm_request");

        Assert.Equal(3, report.SeriesCount);
        Assert.Equal(2, report.Tags.Single(t => t.Tag == "model_id").DistinctValues);
        Assert.Equal(2, report.Tags.Single(t => t.Tag == "environment").DistinctValues);
        Assert.Equal(1, report.Tags.Single(t => t.Tag == "source_module").DistinctValues);
    }

    [Fact]
    public async Task WriteAndQuery_ConcurrentWritersAndReaders_SeeWholeBatchesAndExactTotals()
    {
        var store = CreateStore();
        const int Writers = 4, Batches = 50, BatchSize = 40;
        var query = Query(new TimeRange(T0, T0.AddDays(10)), Agg(AggregationFunction.Count, null, "latency_ms"), Agg(AggregationFunction.Sum, null, "latency_ms"));
        using var done = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            long lastSeen = 0, reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                var result = await QueryOk(store, query);
                var count = result.Series.Count == 0 ? 0 : result.Series[0].Points[0].Values["latency_ms_count"]!.Value.TryGetInt64(out var n) ? n : -1;
                Assert.Equal(0, count % BatchSize);
                Assert.True(count >= lastSeen);
                if (count > 0)
                {
                    Assert.Equal(count, Number(result.Series[0].Points[0].Values["latency_ms_sum"]));
                }

                lastSeen = count;
                reads++;
            }
        })).ToArray();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var points = Enumerable.Range(0, BatchSize).Select(i => Point(T0.AddMinutes((b * BatchSize) + i), 1, model: "w" + w)).ToArray();
                Assert.True((await store.WritePointsAsync(points)).IsSuccess);
            }
        })).ToArray();

        await Task.WhenAll(writers);
        done.Cancel();
        await Task.WhenAll(readers);

        var final = await QueryOk(store, query);
        Assert.Equal(FieldValue.FromInt64(Writers * Batches * BatchSize), final.Series[0].Points[0].Values["latency_ms_count"]);
    }
}
