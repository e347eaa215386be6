using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

/// <summary>Continuous queries: the contract every backend runs.</summary>
public abstract class ContinuousQueryContractTests
{
    /// <summary>A new, empty store.</summary>
    protected abstract ITimeSeriesStore NewStore();

    private static readonly TimeRange Day = new(T0, T0.AddDays(1));

    private static ContinuousQuery Hourly(string id = "hourly", bool enabled = true, string window = "1h") => new()
    {
        QueryId = id,
        Name = "latency per model per hour",
        SourceMeasurement = "llm_request",
        DestinationMeasurement = "llm_request_1h",
        Query = new TimeSeriesQuery
        {
            Measurement = "llm_request",
            TimeRange = new TimeRange(T0.AddYears(-1), T0.AddYears(1)),
            Aggregations = [Agg(AggregationFunction.ForPercentile(95), window, "latency_ms")],
            GroupBy = ["model_id"],
        },
        Interval = "1m",
        Enabled = enabled,
    };

    private static TimeSeriesQuery PerHour(string measurement) => new()
    {
        Measurement = measurement,
        TimeRange = Day,
        GroupBy = ["model_id"],
        PercentileMode = PercentileMode.Sketch,
        Aggregations =
        [
            Agg(AggregationFunction.Count, "1h", "latency_ms"), Agg(AggregationFunction.Min, "1h", "latency_ms"),
            Agg(AggregationFunction.Max, "1h", "latency_ms"), Agg(AggregationFunction.ForPercentile(95), "1h", "latency_ms"),
        ],
    };

    private static List<TimeSeriesPoint> RandomPoints(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => Point(
            T0.AddSeconds(random.Next(0, 86_400)),
            Math.Round(random.NextDouble() * 1000, 2),
            model: random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" },
            region: random.Next(2) == 0 ? "eu" : "us"))];

    /// <summary>Points in any order and any batching, some before registration: the destination answers like the source.</summary>
    [Property(MaxTest = 40)]
    public void Maintained_OutOfOrderBatches_AnswerLikeTheSource(int seed)
    {
        var random = new Random(seed);
        var points = RandomPoints(random, random.Next(1, 600));
        var store = NewStore();
        var before = random.Next(0, points.Count + 1);
        var i = 0;
        while (i < before)
        {
            var size = Math.Min(random.Next(1, 50), before - i);
            Assert.True(store.WritePointsAsync(points.GetRange(i, size)).AsTask().GetAwaiter().GetResult().IsSuccess);
            i += size;
        }

        Assert.Empty(store.RegisterContinuousQueryAsync(Hourly()).AsTask().GetAwaiter().GetResult());
        while (i < points.Count)
        {
            var size = Math.Min(random.Next(1, 50), points.Count - i);
            Assert.True(store.WritePointsAsync(points.GetRange(i, size)).AsTask().GetAwaiter().GetResult().IsSuccess);
            i += size;
        }

        var source = store.QueryAsync(PerHour("llm_request")).AsTask().GetAwaiter().GetResult().Result!;
        var destination = store.QueryAsync(PerHour("llm_request_1h")).AsTask().GetAwaiter().GetResult().Result!;

        Assert.Equal(["1h"], destination.Metadata.Resolutions);
        Assert.Equal(source.Series.Select(s => s.Tags["model_id"]), destination.Series.Select(s => s.Tags["model_id"]));
        for (var s = 0; s < source.Series.Count; s++)
        {
            var expected = source.Series[s].Points;
            var actual = destination.Series[s].Points;
            Assert.Equal(expected.Select(p => p.Timestamp), actual.Select(p => p.Timestamp));
            for (var p = 0; p < expected.Count; p++)
            {
                foreach (var name in new[] { "latency_ms_count", "latency_ms_min", "latency_ms_max", "latency_ms_p95" })
                {
                    // Both sides merge the same values into sketches: identical buckets, identical answers.
                    Assert.Equal(expected[p].Values[name], actual[p].Values[name]);
                }
            }
        }
    }

    [Fact]
    public async Task RegisterContinuousQueryAsync_BadDefinitions_ReportCodesAndPaths()
    {
        var store = NewStore();
        Assert.Empty(await store.RegisterContinuousQueryAsync(Hourly()));

        var duplicate = await store.RegisterContinuousQueryAsync(Hourly());
        var sameDestination = await store.RegisterContinuousQueryAsync(Hourly("x") with { DestinationMeasurement = "llm_request" });
        var badWindow = await store.RegisterContinuousQueryAsync(Hourly("y", window: "7m"));
        var mismatch = await store.RegisterContinuousQueryAsync(Hourly("z") with { SourceMeasurement = "other" });
        var badInterval = await store.RegisterContinuousQueryAsync(Hourly("w") with { Interval = "soon" });

        Assert.Equal((ProblemCodes.ContinuousQueryExists, "query_id"), (duplicate[0].Code, duplicate[0].Path));
        Assert.Equal((ProblemCodes.InvalidContinuousQuery, "destination_measurement"), (sameDestination[0].Code, sameDestination[0].Path));
        Assert.Equal((ProblemCodes.InvalidContinuousQuery, "query.aggregations"), (badWindow[0].Code, badWindow[0].Path));
        Assert.Equal((ProblemCodes.MeasurementMismatch, "query.measurement"), (mismatch[0].Code, mismatch[0].Path));
        Assert.Equal((ProblemCodes.InvalidWindow, "interval"), (badInterval[0].Code, badInterval[0].Path));
        Assert.Equal(["hourly"], (await store.GetContinuousQueriesAsync()).Select(q => q.QueryId));
    }

    [Fact]
    public async Task ContinuousQuery_DisabledOrRemoved_IsNotMaintained()
    {
        var store = NewStore();
        Assert.Empty(await store.RegisterContinuousQueryAsync(Hourly("off", enabled: false) with { DestinationMeasurement = "off" }));
        Assert.Empty(await store.RegisterContinuousQueryAsync(Hourly()));
        await store.WritePointsAsync([Point(T0, 1)]);
        Assert.True(await store.RemoveContinuousQueryAsync("hourly"));
        await store.WritePointsAsync([Point(T0.AddMinutes(1), 2)]);

        var kept = (await store.QueryAsync(PerHour("llm_request_1h"))).Result!;
        var off = (await store.QueryAsync(PerHour("off"))).Result!;

        Assert.Equal(1, Number(Assert.Single(Assert.Single(kept.Series).Points).Values["latency_ms_count"]));
        Assert.Empty(off.Series);
        Assert.False(await store.RemoveContinuousQueryAsync("hourly"));
    }

    [Fact]
    public async Task ContinuousQuery_TagFilters_RollOnlyMatchingSeries()
    {
        var store = NewStore();
        var query = Hourly();
        Assert.Empty(await store.RegisterContinuousQueryAsync(query with { Query = query.Query with { TagFilters = new Dictionary<string, string> { ["region"] = "eu" } } }));

        await store.WritePointsAsync([Point(T0, 1, region: "eu"), Point(T0, 2, region: "us"), Point(T0, 3)]);

        var answer = (await store.QueryAsync(PerHour("llm_request_1h"))).Result!;
        Assert.Equal(1, Number(Assert.Single(Assert.Single(answer.Series).Points).Values["latency_ms_max"]));
        Assert.Equal(new Dictionary<string, string> { ["model_id"] = "gpt-4o" }, answer.Series[0].Tags);
    }
}

public sealed class InMemoryContinuousQueryTests : ContinuousQueryContractTests
{
    protected override ITimeSeriesStore NewStore() => new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });
}
