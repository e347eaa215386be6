using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// An aggregated query split over threads (<see cref="InMemoryTimeSeriesStoreOptions.QueryParallelism"/>) gives the
/// result of the same query on one thread, bit for bit: split by groups, by time, with sealed and open chunks, mixed
/// kinds and gaps, every aggregation function.
/// </summary>
public sealed class QueryParallelismTests
{
    private const int Points = 150_000;
    private static readonly string[] Models = ["m0", "m1", "m2", "m3", "m4"];
    private static readonly Lazy<(InMemoryTimeSeriesStore One, InMemoryTimeSeriesStore Four)> Stores = new(Build);

    public static TheoryData<string, string?, string> Queries => new()
    {
        // Five even groups: split by groups.
        { "1h", "model_id", "exact" },

        // One group: split by time at bucket boundaries.
        { "5m", null, "exact" },

        // Uneven groups (one region holds most points): split by time.
        { "30m", "region", "exact" },

        // Percentiles from sketches; fill between buckets.
        { "1h", "model_id", "sketch" },
        { "1m", "environment", "fill" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task QueryAsync_ParallelScan_SameResultAsOneThread(string window, string? groupBy, string mode)
    {
        var (one, four) = Stores.Value;
        var query = new TimeSeriesQuery
        {
            Measurement = "llm_request",
            TimeRange = new TimeRange(T0.AddMinutes(7), T0.AddHours(30)),
            GroupBy = groupBy is null ? [] : [groupBy],
            Aggregations =
            [
                Agg(AggregationFunction.Mean, window, "latency_ms", "tokens"),
                Agg(AggregationFunction.Sum, window, "latency_ms", "tokens"),
                Agg(AggregationFunction.Count, window, "latency_ms", "tokens", "label"),
                Agg(AggregationFunction.Min, window, "latency_ms"),
                Agg(AggregationFunction.Max, window, "latency_ms"),
                Agg(AggregationFunction.Stddev, window, "latency_ms"),
                Agg(AggregationFunction.First, window, "latency_ms", "tokens"),
                Agg(AggregationFunction.Last, window, "latency_ms"),
                Agg(AggregationFunction.Median, window, "latency_ms", "tokens"),
                Agg(AggregationFunction.ForPercentile(95), window, "latency_ms"),
            ],
            PercentileMode = mode == "sketch" ? PercentileMode.Sketch : PercentileMode.Exact,
            Fill = mode == "fill" ? FillStrategy.Linear : null,
        };

        var serial = await one.QueryAsync(query);
        var parallel = await four.QueryAsync(query);

        Assert.True(serial.IsSuccess, serial.Errors.Count > 0 ? serial.Errors[0].Message : null);
        Assert.NotEmpty(serial.Result!.Series);
        Assert.Equal(Canonical(serial.Result!), Canonical(parallel.Result!));
        Assert.Equal(serial.Result!.Metadata.PointsScanned, parallel.Result!.Metadata.PointsScanned);
    }

    [Fact]
    public async Task QueryAsync_ParallelScanExactPercentile_EqualsSortedValues()
    {
        var (_, four) = Stores.Value;
        var query = Query(new TimeRange(T0, T0.AddDays(2)), Agg(AggregationFunction.ForPercentile(95), "1d", "latency_ms")) with { GroupBy = ["model_id"] };

        var series = (await four.QueryAsync(query)).Result!.Series;

        var expected = Generate().Where(p => p.Timestamp < T0.AddDays(1) && p.Fields.TryGetValue("latency_ms", out var v) && v.TryGetDouble(out _))
            .GroupBy(p => p.Tags.ModelId!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => PercentileR7([.. g.Select(p => Number(p.Fields["latency_ms"]))], 0.95));
        Assert.Equal(expected, series.Select(s => Number(s.Points[0].Values["latency_ms_p95"])));
    }

    [Fact]
    public async Task QueryAsync_ParallelScanCancelled_Throws()
    {
        var (_, four) = Stores.Value;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await four.QueryAsync(Query(new TimeRange(T0, T0.AddDays(2)), Agg(AggregationFunction.Median, "1h", "latency_ms")), cancelled.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_QueryParallelismBelowOne_Throws(int parallelism)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryParallelism = parallelism }));

        Assert.Contains("QueryParallelism", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_QueryParallelismDefault_IsProcessorCount() =>
        Assert.Equal(Environment.ProcessorCount, new InMemoryTimeSeriesStoreOptions().QueryParallelism);

    private static (InMemoryTimeSeriesStore, InMemoryTimeSeriesStore) Build()
    {
        var points = Generate();
        var one = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryParallelism = 1, ChunkSize = 256 });
        var four = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryParallelism = 4, ChunkSize = 256 });
        foreach (var store in new[] { one, four })
        {
            for (var i = 0; i < points.Length; i += 5_000)
            {
                var result = store.WritePointsAsync(points[i..Math.Min(points.Length, i + 5_000)]).AsTask().GetAwaiter().GetResult();
                Assert.True(result.IsSuccess);
            }
        }

        return (one, four);
    }

    /// <summary>
    /// A day and a half of points over 5 models x 2 environments x 3 regions (most points in one region), slightly out
    /// of order; latency as doubles with some integers, strings and gaps; integer tokens; a string label.
    /// </summary>
    private static TimeSeriesPoint[] Generate()
    {
        var random = new Random(36);
        var points = new TimeSeriesPoint[Points];
        var step = TimeSpan.FromDays(1.5).Ticks / Points;
        for (var i = 0; i < Points; i++)
        {
            var at = T0.AddTicks((i * step) + random.Next(-20_000_000, 20_000_000));
            var latency = i % 97 == 0 ? FieldValue.FromInt64(random.Next(1, 500))
                : i % 89 == 0 ? FieldValue.FromString("n/a")
                : FieldValue.FromDouble(Math.Round(Math.Exp(5.3 + (0.9 * random.NextDouble())), 1));
            var fields = new List<KeyValuePair<string, FieldValue>> { new("tokens", FieldValue.FromInt64(random.Next(1, 4_000))) };
            if (i % 53 != 0)
            {
                fields.Add(new("latency_ms", latency));
            }

            if (i % 5 == 0)
            {
                fields.Add(new("label", FieldValue.FromString("l" + (i % 3))));
            }

            points[i] = new TimeSeriesPoint
            {
                Measurement = "llm_request",
                Timestamp = at < T0 ? T0 : at,
                Tags = Tags(Models[i % Models.Length], i % 7 == 0 ? "staging" : "production", random.Next(10) < 8 ? "eu" : "r" + random.Next(2)),
                Fields = new FieldSet(fields),
            };
        }

        return points;
    }

    private static string Canonical(TimeSeriesResult result) =>
        JsonSerializer.Serialize(result.Series.Select(s => new
        {
            Tags = s.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray(),
            Points = s.Points.Select(p => new
            {
                p.Timestamp,
                Values = p.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new
                {
                    v.Key,
                    Kind = v.Value?.Kind.ToString(),
                    Bits = v.Value is { } x && x.TryGetDouble(out var d) ? BitConverter.DoubleToInt64Bits(d) : 0,
                }).ToArray(),
            }),
        }));

    private static double PercentileR7(double[] values, double q)
    {
        Array.Sort(values);
        var h = (values.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        return lo + 1 >= values.Length ? values[lo] : (values[lo] * (1 - (h - lo))) + (values[lo + 1] * (h - lo));
    }
}
