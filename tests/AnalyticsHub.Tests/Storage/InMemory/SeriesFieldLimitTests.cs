using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>Fields per point and per series are capped, refused with a code and a path, and cost O(1) each (issue 37).</summary>
public sealed class SeriesFieldLimitTests
{
    private static TimeSeriesPoint WithFields(int at, IEnumerable<string> names) =>
        Point(T0.AddSeconds(at), 1) with { Fields = new FieldSet(names.Select(n => new KeyValuePair<string, FieldValue>(n, FieldValue.FromDouble(1)))) };

    private static InMemoryTimeSeriesStore Store(int perSeries, int perPoint) => new(new InMemoryTimeSeriesStoreOptions
    {
        Cardinality = new TimeSeriesCardinalityLimits { MaxFieldsPerSeries = perSeries, MaxFieldsPerPoint = perPoint },
    });

    [Fact]
    public async Task WritePoints_PointWithMoreFieldsThanAllowed_IsRefusedAtItsFields()
    {
        var store = Store(perSeries: 100, perPoint: 10);

        var result = await store.WritePointsAsync([WithFields(0, ["a"]), WithFields(1, Enumerable.Range(0, 11).Select(i => "f" + i))]);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ProblemCodes.FieldLimitExceeded, "points[1].fields"), (error.Code, error.Path));
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Fact]
    public async Task WritePoints_SeriesAtItsFieldLimit_RefusesNewFieldsButTakesKnownOnes()
    {
        var store = Store(perSeries: 20, perPoint: 20);
        Assert.True((await store.WritePointsAsync([WithFields(0, Enumerable.Range(0, 15).Select(i => "f" + i))])).IsSuccess);

        // Within one batch: the second point's new fields count on top of the first's.
        var over = await store.WritePointsAsync([WithFields(1, Enumerable.Range(15, 4).Select(i => "f" + i)), WithFields(2, ["g1", "g2"])]);
        var known = await store.WritePointsAsync([WithFields(3, ["f0", "f14"])]);

        var error = Assert.Single(over.Errors);
        Assert.Equal((ProblemCodes.FieldLimitExceeded, "points[1].fields.g2"), (error.Code, error.Path));
        Assert.True(known.IsSuccess);
        var series = Assert.Single(await store.DescribeSeriesAsync());
        Assert.Equal(15, series.Fields.Count);
        Assert.Equal(2, series.PointCount);
    }

    [Fact]
    public async Task WritePoints_ThousandsOfNewFields_CostLinearAllocation()
    {
        var allocations = new List<long>();
        foreach (var count in new[] { 4_000, 8_000 })
        {
            var store = Store(perSeries: 65_536, perPoint: 1);
            var points = Enumerable.Range(0, count).Select(i => WithFields(i, ["k" + i])).ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = await store.WritePointsAsync(points);
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - before);

            Assert.True(result.IsSuccess);
            Assert.Equal(count, Assert.Single(await store.DescribeSeriesAsync()).Fields.Count);
        }

        // Copying the field list per new field (the old way) quadruples when the fields double.
        Assert.InRange((double)allocations[1] / allocations[0], 1.5, 2.6);
    }

    [Fact]
    public void Limits_OutOfRange_AreRefusedWhenTheStoreIsMade()
    {
        var ex = Assert.Throws<ArgumentException>(() => Store(perSeries: 0, perPoint: 5));

        Assert.Contains("MaxFieldsPerSeries", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFieldsPerPoint", ex.Message, StringComparison.Ordinal);
    }
}
