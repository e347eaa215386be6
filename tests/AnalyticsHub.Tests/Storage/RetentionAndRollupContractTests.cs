using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

/// <summary>Retention, downsampling to rollups, queries across resolutions and rollup writes (issue 9): the contract every backend runs.</summary>
public abstract class RetentionAndRollupContractTests
{
    // Noon, so day buckets and the maximum age do not line up by accident.
    private static readonly DateTimeOffset Now = T0.AddHours(12);

    private static readonly TimeRange Everything = new(Now.AddDays(-400), Now.AddDays(1));

    /// <summary>A new, empty store with the given retention policy (<see cref="RetentionPolicy.Default"/> when null).</summary>
    protected abstract ITimeSeriesStore NewStore(RetentionPolicy? retention = null);

    private static TimeSeriesQuery Aggregated(TimeRange range, string? window, params AggregationFunction[] functions) => Query(range) with
    {
        Aggregations = functions.Select(f => Agg(f, window, "latency_ms")).ToArray(),
    };

    private static async Task<TimeSeriesResult> Run(ITimeSeriesStore store, TimeSeriesQuery query)
    {
        var result = await store.QueryAsync(query);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Path} {e.Message}")));
        return result.Result!;
    }

    [Fact]
    public async Task ApplyRetentionAsync_DefaultPolicy_KeepsEachAgeAtItsResolution()
    {
        var store = NewStore();
        await store.WritePointsAsync([
            Point(Now.AddDays(-366), 1), // past the maximum: dropped
            Point(Now.AddDays(-100), 2), // 1 day
            Point(Now.AddDays(-40), 3), // 60 minutes
            Point(Now.AddDays(-10), 4), // 5 minutes
            Point(Now.AddDays(-1), 5), // raw
        ]);

        var result = await store.ApplyRetentionAsync(Now);

        Assert.Equal(1, result.RawPointsDropped);
        Assert.Equal(3, result.RawPointsDownsampled);
        Assert.Equal(1, Assert.Single(await store.DescribeSeriesAsync()).PointCount);
        var answer = await Run(store, Aggregated(Everything, null, AggregationFunction.Count, AggregationFunction.Sum, AggregationFunction.Min, AggregationFunction.Max));
        var values = Assert.Single(Assert.Single(answer.Series).Points).Values;
        Assert.Equal(FieldValue.FromInt64(4), values["latency_ms_count"]);
        Assert.Equal(14, Number(values["latency_ms_sum"]));
        Assert.Equal(2, Number(values["latency_ms_min"]));
        Assert.Equal(5, Number(values["latency_ms_max"]));
        Assert.Equal(["raw", "5m", "1h", "1d"], answer.Metadata.Resolutions);
    }

    [Fact]
    public async Task ApplyRetentionAsync_AtTheFullResolutionBoundary_KeepsTheBoundaryRaw()
    {
        var store = NewStore();
        var boundary = Now.AddDays(-7); // noon: a multiple of five minutes
        await store.WritePointsAsync([Point(boundary, 1), Point(boundary.AddTicks(-1), 2)]);

        var result = await store.ApplyRetentionAsync(Now);

        Assert.Equal(1, result.RawPointsDownsampled);
        Assert.Equal(1, Assert.Single(await store.DescribeSeriesAsync()).PointCount);
        var raw = await Run(store, Query(Everything));
        var points = raw.Series.SelectMany(s => s.Points).ToList();
        Assert.Equal([boundary.AddMinutes(-5), boundary], points.Select(p => p.Timestamp));
        Assert.Contains(raw.Metadata.Warnings, w => w.Contains("bucket means", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyRetentionAsync_AtTheMaximumAge_DropsOnlyWholeBlocks()
    {
        var store = NewStore();
        // Day buckets: [-366d 00:00, -365d 00:00) is wholly past the maximum (noon -365d); [-365d 00:00, -364d) is not.
        await store.WritePointsAsync([Point(Now.AddDays(-365).AddHours(-13), 1), Point(Now.AddDays(-365).AddHours(-1), 2)]);

        await store.ApplyRetentionAsync(Now);

        var answer = await Run(store, Aggregated(Everything, null, AggregationFunction.Count, AggregationFunction.Min));
        var values = Assert.Single(Assert.Single(answer.Series).Points).Values;
        Assert.Equal(FieldValue.FromInt64(1), values["latency_ms_count"]);
        Assert.Equal(2, Number(values["latency_ms_min"]));
    }

    [Fact]
    public async Task ApplyRetentionAsync_NoDownsampling_DropsWholeShardsPastTheMaximum()
    {
        var store = NewStore(new RetentionPolicy { Name = "raw", FullResolutionDays = 30, DownsampleConfigs = [], MaxRetentionDays = 30, ShardDurationHours = 24 });
        // The maximum age is noon -30d: the shard of -30d 06:00 is not wholly past, the one of -31d is.
        await store.WritePointsAsync([Point(Now.AddDays(-31), 1), Point(Now.AddDays(-30).AddHours(-6), 2), Point(Now, 3)]);

        var result = await store.ApplyRetentionAsync(Now);

        Assert.Equal(1, result.RawPointsDropped);
        Assert.Equal(2, Assert.Single(await store.DescribeSeriesAsync()).PointCount);
    }

    [Fact]
    public async Task ApplyRetentionAsync_AppliedTwice_ChangesNothingTheSecondTime()
    {
        var store = NewStore();
        var random = new Random(7);
        await store.WritePointsAsync(Enumerable.Range(0, 500).Select(i => Point(Now.AddMinutes(-random.Next(0, 200 * 24 * 60)), random.NextDouble() * 100)).ToList());
        var first = await store.ApplyRetentionAsync(Now);
        var before = await Run(store, Aggregated(Everything, "1d", AggregationFunction.Count, AggregationFunction.Sum, AggregationFunction.Max));

        var second = await store.ApplyRetentionAsync(Now);

        Assert.True(first.Changed);
        Assert.False(second.Changed);
        var after = await Run(store, Aggregated(Everything, "1d", AggregationFunction.Count, AggregationFunction.Sum, AggregationFunction.Max));
        Assert.Equal(Flatten(before), Flatten(after));
    }

    [Fact]
    public async Task ApplyRetentionAsync_LaterRuns_FoldOlderBucketsWithoutCountingAnythingTwice()
    {
        var store = NewStore();
        var random = new Random(11);
        var points = Enumerable.Range(0, 2_000).Select(i => Point(Now.AddMinutes(-random.Next(0, 120 * 24 * 60)), random.Next(1, 1000))).ToList();
        await store.WritePointsAsync(points);
        var reference = NewStore();
        await reference.WritePointsAsync(points);

        // A daily schedule for four months.
        for (var day = -120; day <= 0; day++)
        {
            await store.ApplyRetentionAsync(Now.AddDays(day));
        }

        var expected = await Run(reference, Aggregated(Everything, "1d", AggregationFunction.Count, AggregationFunction.Min, AggregationFunction.Max));
        var actual = await Run(store, Aggregated(Everything, "1d", AggregationFunction.Count, AggregationFunction.Min, AggregationFunction.Max));
        Assert.Equal(Flatten(expected), Flatten(actual));
    }

    /// <summary>Rollups answer like full resolution: counts, minima and maxima exactly, sums and moments within decision 10, percentiles within the sketch bound.</summary>
    [Property(MaxTest = 60)]
    public void Downsampled_RandomSeries_AnswerLikeFullResolution(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 400);
        var scale = Math.Pow(10, random.Next(-3, 6));
        var points = Enumerable.Range(0, n).Select(_ => Point(
            Now.AddSeconds(-random.Next(0, 150 * 86_400)),
            Math.Round((random.NextDouble() - 0.2) * scale, 3),
            model: random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" })).ToList();
        var full = NewStore();
        var rolled = NewStore();
        full.WritePointsAsync(points).AsTask().GetAwaiter().GetResult();
        rolled.WritePointsAsync(points).AsTask().GetAwaiter().GetResult();
        rolled.ApplyRetentionAsync(Now).AsTask().GetAwaiter().GetResult();

        var window = random.Next(2) == 0 ? "1d" : "1w";
        var functions = new[]
        {
            AggregationFunction.Count, AggregationFunction.Min, AggregationFunction.Max, AggregationFunction.Sum, AggregationFunction.Mean,
            AggregationFunction.Stddev, AggregationFunction.ForPercentile(50), AggregationFunction.ForPercentile(95),
        };
        var query = Aggregated(Everything, window, functions) with { GroupBy = ["model_id"] };
        var expected = Run(full, query).GetAwaiter().GetResult();
        var actual = Run(rolled, query).GetAwaiter().GetResult();

        Assert.Equal(expected.Series.Count, actual.Series.Count);
        var alpha = QuantileSketch.RelativeAccuracy;
        for (var s = 0; s < expected.Series.Count; s++)
        {
            Assert.Equal(expected.Series[s].Tags, actual.Series[s].Tags);
            Assert.Equal(expected.Series[s].Points.Select(p => p.Timestamp), actual.Series[s].Points.Select(p => p.Timestamp));
            for (var p = 0; p < expected.Series[s].Points.Count; p++)
            {
                var e = expected.Series[s].Points[p].Values;
                var a = actual.Series[s].Points[p].Values;
                var bucket = expected.Series[s].Points[p].Timestamp;
                var values = points.Where(x => x.Tags.ModelId == expected.Series[s].Tags["model_id"] && Bucketed(x.Timestamp, window) == bucket)
                    .Select(x => x.Fields.LatencyMs!.Value).Order().ToArray();
                Assert.Equal(e["latency_ms_count"], a["latency_ms_count"]);
                Assert.Equal(Number(e["latency_ms_min"]), Number(a["latency_ms_min"]));
                Assert.Equal(Number(e["latency_ms_max"]), Number(a["latency_ms_max"]));
                var magnitude = values.Sum(Math.Abs);
                var squares = values.Sum(v => v * v);
                Assert.InRange(Math.Abs(Number(e["latency_ms_sum"]) - Number(a["latency_ms_sum"])), 0, 1e-9 * magnitude + 1e-300);
                Assert.InRange(Math.Abs(Number(e["latency_ms_mean"]) - Number(a["latency_ms_mean"])), 0, 1e-9 * magnitude / values.Length + 1e-300);
                if (values.Length > 1)
                {
                    var ev = Math.Pow(Number(e["latency_ms_stddev"]), 2);
                    var av = Math.Pow(Number(a["latency_ms_stddev"]), 2);
                    Assert.InRange(Math.Abs(ev - av) * (values.Length - 1), 0, 1e-9 * squares + 1e-300);
                }

                foreach (var q in new[] { 50, 95 })
                {
                    var h = (values.Length - 1) * (q / 100.0);
                    var low = values[(int)Math.Floor(h)];
                    var high = values[(int)Math.Ceiling(h)];
                    var v = Number(a["latency_ms_p" + q]);
                    Assert.InRange(v, low - (alpha * Math.Abs(low)) - 1e-12, high + (alpha * Math.Abs(high)) + 1e-12);
                }
            }
        }
    }

    private static DateTimeOffset Bucketed(DateTimeOffset at, string window)
    {
        Assert.True(TimeBucketWindow.TryParse(window, out var w, out _));
        return new DateTimeOffset(w.BucketStart(at.UtcTicks), TimeSpan.Zero);
    }

    [Fact]
    public async Task QueryAsync_RangeAcrossTheRawHorizon_MergesBothResolutionsPerBucket()
    {
        var store = NewStore();
        var reference = NewStore();
        var points = Enumerable.Range(0, 24 * 12).Select(i => Point(Now.AddDays(-7).AddHours(-12).AddMinutes(5 * i), i)).ToList();
        await store.WritePointsAsync(points);
        await reference.WritePointsAsync(points);
        await store.ApplyRetentionAsync(Now);
        var range = new TimeRange(Now.AddDays(-8), Now);

        var answer = await Run(store, Aggregated(range, "1d", AggregationFunction.Count, AggregationFunction.Sum));

        Assert.Equal(["raw", "5m"], answer.Metadata.Resolutions);
        Assert.Equal(Flatten(await Run(reference, Aggregated(range, "1d", AggregationFunction.Count, AggregationFunction.Sum))), Flatten(answer));
    }

    [Fact]
    public async Task QueryAsync_BucketsFinerThanKept_WarnsAndCountsEachStoredBucketOnce()
    {
        var store = NewStore();
        await store.WritePointsAsync(Enumerable.Range(0, 10).Select(i => Point(Now.AddDays(-20).AddMinutes(i), i)).ToList());
        await store.ApplyRetentionAsync(Now);

        var answer = await Run(store, Aggregated(new TimeRange(Now.AddDays(-21), Now.AddDays(-19)), "1m", AggregationFunction.Count));

        Assert.Contains(answer.Metadata.Warnings, w => w.Contains("coarser than the 1m buckets", StringComparison.Ordinal));
        var points = Assert.Single(answer.Series).Points;
        Assert.Equal(10, points.Sum(p => Number(p.Values["latency_ms_count"])));
        Assert.All(points, p => Assert.Equal(0, p.Timestamp.Minute % 5));
    }

    [Fact]
    public async Task WriteRollupsAsync_BadBuckets_ReportsEveryProblemAndStoresNothing()
    {
        var store = NewStore();
        var good = Bucket("m", Now, TimeSpan.FromMinutes(5), 1, 2);

        var result = await store.WriteRollupsAsync([
            good,
            good with { Resolution = TimeSpan.FromMinutes(7) },
            good with { Start = Now.AddMinutes(1) },
            good with { Measurement = "" },
            good with { Sketch = new QuantileSketch() },
            good with { Field = "" },
        ]);

        Assert.False(result.IsSuccess);
        Assert.Equal(
            ["[1].resolution", "[2].start", "[3].measurement", "[4].sketch", "[5].field"],
            result.Errors.Select(e => e.Path));
        Assert.Equal(ProblemCodes.InvalidResolution, result.Errors[0].Code);
        Assert.Equal(ProblemCodes.InvalidRollup, result.Errors[3].Code);
        var answer = await Run(store, new TimeSeriesQuery { Measurement = "m", TimeRange = Everything, Aggregations = [Agg(AggregationFunction.Count, null, "value")] });
        Assert.Empty(answer.Series);
    }

    [Fact]
    public async Task WriteRollupsAsync_SameBucketTwice_Merges()
    {
        var store = NewStore();
        await store.WriteRollupsAsync([Bucket("m", Now, TimeSpan.FromMinutes(1), 1, 2, 3)]);
        await store.WriteRollupsAsync([Bucket("m", Now, TimeSpan.FromMinutes(1), 10)]);

        var answer = await Run(store, new TimeSeriesQuery
        {
            Measurement = "m",
            TimeRange = new TimeRange(Now, Now.AddHours(1)),
            Aggregations = [Agg(AggregationFunction.Count, "1h", "value"), Agg(AggregationFunction.Max, "1h", "value"), Agg(AggregationFunction.First, "1h", "value")],
        });

        var values = Assert.Single(Assert.Single(answer.Series).Points).Values;
        Assert.Equal(FieldValue.FromInt64(4), values["value_count"]);
        Assert.Equal(10, Number(values["value_max"]));
        Assert.Null(values["value_first"]);
        Assert.Equal(["1m"], answer.Metadata.Resolutions);
        Assert.Contains(answer.Metadata.Warnings, w => w.Contains("first and last", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_RollupOnlyMeasurementWithSeveralLevels_UsesTheCoarsestThatFitsOnce()
    {
        var store = NewStore();
        var hour = Now.AddHours(-3);
        var minutes = Enumerable.Range(0, 90).Select(i => Bucket("m", hour.AddMinutes(i), TimeSpan.FromMinutes(1), i)).ToList();
        await store.WriteRollupsAsync([.. minutes, Bucket("m", hour, TimeSpan.FromHours(1), [.. Enumerable.Range(0, 60).Select(i => (double)i)])]);

        var answer = await Run(store, new TimeSeriesQuery
        {
            Measurement = "m",
            TimeRange = new TimeRange(hour, Now),
            Aggregations = [Agg(AggregationFunction.Count, "1h", "value"), Agg(AggregationFunction.Sum, "1h", "value")],
        });

        var points = Assert.Single(answer.Series).Points;
        Assert.Equal([60L, 30L], points.Select(p => (long)Number(p.Values["value_count"])));
        Assert.Equal(Enumerable.Range(60, 30).Sum(), Number(points[1].Values["value_sum"]));
        Assert.Equal(["1m", "1h"], answer.Metadata.Resolutions);
    }

    /// <summary>A rollup bucket of <paramref name="values"/> for model gpt-4o (statistics and sketch), for this suite and the backends' own tests.</summary>
    public static RollupBucket Bucket(string measurement, DateTimeOffset start, TimeSpan resolution, params double[] values)
    {
        var stats = default(StreamingStats);
        var sketch = new QuantileSketch();
        foreach (var value in values)
        {
            stats.TryAdd(value);
            sketch.TryAdd(value);
        }

        return new RollupBucket
        {
            Measurement = measurement,
            Tags = new Dictionary<string, string> { ["model_id"] = "gpt-4o" },
            Field = RollupBucket.ValueField,
            Start = start,
            Resolution = resolution,
            Stats = stats,
            Sketch = sketch,
        };
    }

    private static List<string> Flatten(TimeSeriesResult result) =>
        [.. result.Series.SelectMany(s => s.Points.Select(p => $"{string.Join(",", s.Tags.OrderBy(t => t.Key))}@{p.Timestamp:O}:{string.Join(",", p.Values.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}"))}"))];
}

public sealed class InMemoryRetentionAndRollupTests : RetentionAndRollupContractTests
{
    protected override ITimeSeriesStore NewStore(RetentionPolicy? retention = null) =>
        new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64, Retention = retention ?? RetentionPolicy.Default });
}
