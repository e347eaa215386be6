using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.Tests.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.Storage;

/// <summary>A metric series' tags keep their rollup identity text: the same identity, and the same rollup series, as equal tags in any other map.</summary>
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
}
