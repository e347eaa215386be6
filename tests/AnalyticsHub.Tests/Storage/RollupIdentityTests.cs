using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.Tests.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// A metric series' tags keep their rollup identity text: the same identity, and the same rollup series, as equal tags in
/// any other map. They also remember the rollup series they were found in, which must never outlive it (retention) or
/// answer for another measurement, and that they passed the tag check, which a bad tag never does.
/// </summary>
public sealed class RollupIdentityTests
{
    [Fact]
    public void Identity_MetricSeriesTags_EqualsThatOfTheSameTagsInAnotherOrder()
    {
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions(), new CollectingWindowSink());
        Assert.True(aggregator.TryGetKey("llm_latency.latency_ms", new Dictionary<string, string> { ["model_id"] = "m", ["environment"] = "prod", ["a"] = "" }, out var key));
        var tags = aggregator.GetSeries(key).Tags;
        var plain = new Dictionary<string, string> { ["environment"] = "prod", ["a"] = "", ["model_id"] = "m" };

        var first = RollupStore.Identity(tags, out var sorted);
        Assert.Equal("1:a0:|11:environment4:prod|8:model_id1:m|", first);
        Assert.Equal(RollupStore.Identity(plain, out var plainSorted), first);
        Assert.Same(first, RollupStore.Identity(tags, out _));
        Assert.Equal(["a", "environment", "model_id"], sorted.Keys);
        Assert.Equal(["a", "environment", "model_id"], plainSorted.Keys);
    }

    [Fact]
    public async Task WriteRollups_MetricSeriesTagsThenEqualPlainTags_OneRollupSeries()
    {
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions(), new CollectingWindowSink());
        Assert.True(aggregator.TryGetKey("m", new Dictionary<string, string> { ["model_id"] = "x" }, out var key));
        using var store = new InMemoryTimeSeriesStore();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        RollupBucket Bucket(IReadOnlyDictionary<string, string> tags, double value)
        {
            var sketch = new QuantileSketch();
            sketch.TryAdd(value);
            var stats = default(StreamingStats);
            stats.TryAdd(value);
            return new RollupBucket { Measurement = "m", Tags = tags, Field = RollupBucket.ValueField, Start = start, Resolution = TimeSpan.FromMinutes(1), Stats = stats, Sketch = sketch };
        }

        var first = await store.WriteRollupsAsync([Bucket(aggregator.GetSeries(key).Tags, 1)]);
        var second = await store.WriteRollupsAsync([Bucket(new Dictionary<string, string> { ["model_id"] = "x" }, 2)]);

        Assert.Equal(1, first.SeriesCreated);
        Assert.Equal(0, second.SeriesCreated);
    }

    [Fact]
    public async Task WriteRollups_MetricSeriesTagsAfterRetentionRemovedTheirSeries_CreatesItAgainAndKeepsTheBucket()
    {
        var tags = MetricSeriesTags(new Dictionary<string, string> { ["model_id"] = "x" });
        using var store = new InMemoryTimeSeriesStore();
        Assert.Equal(1, (await store.WriteRollupsAsync([Bucket("m", tags, Start, 1)])).SeriesCreated);
        Assert.Equal(0, (await store.WriteRollupsAsync([Bucket("m", tags, Start.AddMinutes(1), 2)])).SeriesCreated);

        // Past the maximum age every bucket goes, and with them the series.
        await store.ApplyRetentionAsync(Start.AddDays(800));
        Assert.Equal(0, await CountAsync(store, "m", Start));

        var again = await store.WriteRollupsAsync([Bucket("m", tags, Start.AddDays(799), 3)]);

        Assert.Equal(1, again.SeriesCreated);
        Assert.Equal(1, await CountAsync(store, "m", Start.AddDays(799)));
    }

    [Fact]
    public async Task WriteRollups_MetricSeriesTagsUnderTwoMeasurements_EachItsOwnSeries()
    {
        var tags = MetricSeriesTags(new Dictionary<string, string> { ["model_id"] = "x" });
        using var store = new InMemoryTimeSeriesStore();

        var first = await store.WriteRollupsAsync([Bucket("a", tags, Start, 1), Bucket("b", tags, Start, 2), Bucket("b", tags, Start, 3)]);
        var second = await store.WriteRollupsAsync([Bucket("a", tags, Start, 4)]);

        Assert.Equal(2, first.SeriesCreated);
        Assert.Equal(0, second.SeriesCreated);
        Assert.Equal(2, await CountAsync(store, "a", Start));
        Assert.Equal(2, await CountAsync(store, "b", Start));
    }

    [Fact]
    public async Task WriteRollups_MetricSeriesTagsWithAnEmptyKey_RefusedEveryTimeAndNothingStored()
    {
        var tags = MetricSeriesTags(new Dictionary<string, string> { [""] = "x" });
        using var store = new InMemoryTimeSeriesStore();

        var first = await store.WriteRollupsAsync([Bucket("m", tags, Start, 1)]);
        var second = await store.WriteRollupsAsync([Bucket("m", MetricSeriesTags(new Dictionary<string, string> { ["k"] = "v" }), Start, 2), Bucket("m", tags, Start, 3)]);

        Assert.Equal(("[0].tags", ProblemCodes.InvalidTag), (Assert.Single(first.Errors).Path, Assert.Single(first.Errors).Code));
        Assert.Equal(("[1].tags", ProblemCodes.InvalidTag), (Assert.Single(second.Errors).Path, Assert.Single(second.Errors).Code));
        Assert.Equal(0, await CountAsync(store, "m", Start));
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, string> MetricSeriesTags(Dictionary<string, string> tags)
    {
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions(), new CollectingWindowSink());
        Assert.True(aggregator.TryGetKey("m", tags, out var key));
        var sorted = aggregator.GetSeries(key).Tags;
        Assert.IsType<SortedTagMap>(sorted);
        return sorted;
    }

    private static RollupBucket Bucket(string measurement, IReadOnlyDictionary<string, string> tags, DateTimeOffset start, double value)
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(value);
        var stats = default(StreamingStats);
        stats.TryAdd(value);
        return new RollupBucket { Measurement = measurement, Tags = tags, Field = RollupBucket.ValueField, Start = start, Resolution = TimeSpan.FromMinutes(1), Stats = stats, Sketch = sketch };
    }

    /// <summary>How many values the measurement's rollups hold in the hour from <paramref name="from"/>.</summary>
    private static async Task<long> CountAsync(InMemoryTimeSeriesStore store, string measurement, DateTimeOffset from)
    {
        var result = await store.QueryAsync(new TimeSeriesQuery
        {
            Measurement = measurement,
            TimeRange = new TimeRange(from, from.AddHours(1)),
            Aggregations = [new Aggregation { Function = AggregationFunction.Count, Window = "1h", Fields = [RollupBucket.ValueField] }],
        });
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        var count = 0L;
        foreach (var series in result.Result!.Series)
        {
            foreach (var point in series.Points)
            {
                count += point.Values["value_count"] is { } value && value.TryGetInt64(out var n) ? n : 0;
            }
        }

        return count;
    }
}
