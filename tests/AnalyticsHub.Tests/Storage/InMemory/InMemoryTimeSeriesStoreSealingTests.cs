using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

public class InMemoryTimeSeriesStoreSealingTests
{
    private static TimeSeriesPoint Llm(DateTimeOffset at, int i) => new()
    {
        Measurement = "llm_request",
        Timestamp = at,
        Tags = Tags(),
        Fields = new FieldSet([
            new("latency_ms", FieldValue.FromDouble(Math.Round(100 + (i * 7.3 % 900), 1))),
            new("token_count", FieldValue.FromInt64(50 + (i * 37 % 4000))),
            new("cost_usd", FieldValue.FromDouble(Math.Round(i * 1.7e-6 % 0.01, 6))),
        ]),
    };

    [Fact]
    public async Task WritePointsAsync_FullChunks_AreSealedAndReported()
    {
        var store = new InMemoryTimeSeriesStore();
        var points = Enumerable.Range(0, 3000).Select(i => Llm(T0.AddSeconds(i), i)).ToList();
        await store.WritePointsAsync(points);

        var report = store.DescribeMemory();

        Assert.Equal(3000, report.PointCount);
        Assert.Equal(2048, report.SealedPointCount);
        Assert.Equal(2, report.SealedChunkCount);
        Assert.Contains(report.Columns, c => c.Column == "timestamp" && c.Codec == "delta" && c.Points == 2048);
        Assert.Contains(report.Columns, c => c.Column == "latency_ms" && c.Codec.StartsWith("decimal-scaled", StringComparison.Ordinal));
        Assert.True(report.OpenBytes > 0);
    }

    [Fact]
    public async Task SealOpenChunks_AfterWrites_EverythingSealedAndQueriesUnchanged()
    {
        var store = new InMemoryTimeSeriesStore();
        var points = Enumerable.Range(0, 1500).Select(i => Llm(T0.AddSeconds(i * 3), i)).ToList();
        await store.WritePointsAsync(points);
        var query = Query(new TimeRange(T0, T0.AddDays(1)), Agg(AggregationFunction.Mean, "1h", "latency_ms"), Agg(AggregationFunction.Max, "1h", "cost_usd"));
        var before = (await store.QueryAsync(query)).Result!;

        store.SealOpenChunks();
        var report = store.DescribeMemory();

        Assert.Equal(1500, report.SealedPointCount);
        Assert.Equal(0, report.OpenBytes);
        Assert.True(report.SealedBytesPerPoint < 12, report.SealedBytesPerPoint.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SealedChunkProperties.AssertSameResult(before, (await store.QueryAsync(query)).Result!);
    }

    [Fact]
    public async Task WritePointsAsync_SeriesMovesToLaterShard_EarlierShardSealed()
    {
        var store = new InMemoryTimeSeriesStore();
        await store.WritePointsAsync([Llm(T0, 1), Llm(T0.AddMinutes(1), 2)]);
        await store.WritePointsAsync([Llm(T0.AddDays(1), 3)]);

        var report = store.DescribeMemory();

        Assert.Equal(2, report.SealedPointCount);
        Assert.Equal(1, report.SealedChunkCount);
    }

    [Fact]
    public async Task WritePointsAsync_LatePointAfterSealing_StoredInNewChunkAndQueried()
    {
        var store = new InMemoryTimeSeriesStore();
        await store.WritePointsAsync([Llm(T0.AddHours(2), 1), Llm(T0.AddHours(3), 2)]);
        store.SealOpenChunks();
        await store.WritePointsAsync([Llm(T0.AddHours(1), 3)]);

        var result = (await store.QueryAsync(new TimeSeriesQuery { Measurement = "llm_request", TimeRange = new TimeRange(T0, T0.AddDays(1)) })).Result!;

        Assert.Equal([T0.AddHours(1), T0.AddHours(2), T0.AddHours(3)], result.Series[0].Points.Select(p => p.Timestamp));
        Assert.Equal(2, store.DescribeMemory().SealedPointCount);
    }

    [Fact]
    public async Task DeleteRangeAsync_SealedChunk_RewritesItSealed()
    {
        var store = new InMemoryTimeSeriesStore();
        await store.WritePointsAsync(Enumerable.Range(0, 100).Select(i => Llm(T0.AddSeconds(i), i)).ToList());
        store.SealOpenChunks();

        var deleted = await store.DeleteRangeAsync("llm_request", new TimeRange(T0, T0.AddSeconds(10)));

        Assert.Equal(10, deleted);
        var report = store.DescribeMemory();
        Assert.Equal(90, report.SealedPointCount);
        var result = (await store.QueryAsync(Query(new TimeRange(T0, T0.AddDays(1)), Agg(AggregationFunction.Count, null, "latency_ms")))).Result!;
        Assert.Equal(FieldValue.FromInt64(90), result.Series[0].Points[0].Values["latency_ms_count"]);
    }

    [Fact]
    public async Task SealChunksOff_NothingSealed()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { SealChunks = false });
        await store.WritePointsAsync(Enumerable.Range(0, 2000).Select(i => Llm(T0.AddSeconds(i), i)).ToList());
        store.SealOpenChunks();

        Assert.Equal(0, store.DescribeMemory().SealedPointCount);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromDouble_NonFinite_RejectedBeforeAnyColumn(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FieldValue.FromDouble(value));

    [Fact]
    public void DescribeMemory_EmptyStore_ReportsZero()
    {
        var report = new InMemoryTimeSeriesStore().DescribeMemory();

        Assert.Equal(0, report.PointCount);
        Assert.Equal(0, report.BytesPerPoint);
        Assert.Empty(report.Columns);
    }
}
