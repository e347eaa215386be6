using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

public sealed class InMemoryTimeSeriesStoreTests : TimeSeriesStoreContractTests
{
    protected override ITimeSeriesStore CreateStore(int maxValuesPerTag = 1_000, int maxSeries = 100_000) =>
        new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions
        {
            ChunkSize = 64,
            Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = maxValuesPerTag, MaxSeriesPerMeasurement = maxSeries },
        });

    [Fact]
    public async Task WritePointsAsync_DefaultLimits_ModelIdCappedAt200()
    {
        var store = new InMemoryTimeSeriesStore();
        var points = Enumerable.Range(0, 201).Select(i => Point(T0, 1, model: "m" + i)).ToArray();

        var result = await store.WritePointsAsync(points);

        Assert.Equal("points[200].tags.model_id", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public async Task QueryAsync_MixedKindsAndGapsInColumn_AggregatesNumericValuesOnly()
    {
        var store = CreateStore();
        await store.WritePointsAsync([
            Point(T0, 1) with { Fields = new FieldSet([new("v", FieldValue.FromInt64(4))]) },
            Point(T0.AddSeconds(1), 1) with { Fields = new FieldSet([new("other", FieldValue.FromInt64(1))]) },
            Point(T0.AddSeconds(2), 1) with { Fields = new FieldSet([new("v", FieldValue.FromDouble(2.5))]) },
            Point(T0.AddSeconds(3), 1) with { Fields = new FieldSet([new("v", FieldValue.FromString("x"))]) },
            Point(T0.AddSeconds(4), 1) with { Fields = new FieldSet([new("v", FieldValue.FromBoolean(true))]) },
        ]);

        var values = (await store.QueryAsync(Query(null, Agg(AggregationFunction.Sum, null, "v"), Agg(AggregationFunction.Count, null, "v")))).Result!.Series[0].Points[0].Values;

        Assert.Equal(7.5, Number(values["v_sum"]));
        Assert.Equal(FieldValue.FromInt64(3), values["v_count"]);
    }

    [Fact]
    public async Task WritePointsAsync_HeadChunkGrowsAndSeals_EveryPointReadBackInOrder()
    {
        var store = new InMemoryTimeSeriesStore();
        var expected = new List<double>();
        for (var i = 0; i < 3000; i += 7)
        {
            var batch = Enumerable.Range(i, Math.Min(7, 3000 - i)).Select(k => Point(T0.AddSeconds(k), k)).ToArray();
            expected.AddRange(batch.Select(p => (double)p.Fields.LatencyMs!));
            Assert.True((await store.WritePointsAsync(batch)).IsSuccess);
            if (i == 70)
            {
                Assert.Equal(77, Assert.Single((await store.QueryAsync(Query())).Result!.Series).Points.Count);
            }
        }

        var points = Assert.Single((await store.QueryAsync(Query())).Result!.Series).Points;

        Assert.Equal(expected, points.Select(p => Number(p.Values["latency_ms"])));
    }

    [Fact]
    public async Task QueryAsync_TooManyGroups_ReturnsError()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryLimits = new TimeSeriesQueryLimits { MaxGroups = 2 } });
        await store.WritePointsAsync([Point(T0, 1, model: "a"), Point(T0, 1, model: "b"), Point(T0, 1, model: "c")]);

        var outcome = await store.QueryAsync(Query(null, Agg(AggregationFunction.Count)) with { GroupBy = ["model_id"] });

        var error = Assert.Single(outcome.Errors);
        Assert.Equal((ProblemCodes.TooManyGroups, "group_by"), (error.Code, error.Path));
    }

    [Fact]
    public async Task QueryAsync_RawBeyondMaxResultPoints_TruncatesWithWarning()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryLimits = new TimeSeriesQueryLimits { MaxResultPoints = 5 } });
        await store.WritePointsAsync([.. Enumerable.Range(0, 10).Select(i => Point(T0.AddSeconds(i), i))]);

        var result = (await store.QueryAsync(Query())).Result!;

        Assert.True(result.Metadata.Truncated);
        Assert.Equal(5UL, result.Metadata.PointCount);
        Assert.Single(result.Metadata.Warnings);
    }
}
