using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>The metrics stage, metric queries and scheduled retention through the hub (issues 9 and 14).</summary>
public sealed class HubMetricsTests
{
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddHours(-3);

    private static (ServiceProvider Provider, FakeTimeProvider Clock) Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var clock = new FakeTimeProvider(SampleEvents.Now);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return (services.BuildServiceProvider(), clock);
    }

    private static List<AnalyticsEvent> LatencyEvents(int count, int seed)
    {
        var random = new Random(seed);
        var events = new List<AnalyticsEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var evt = SampleEvents.Event(SampleEvents.Latency with
            {
                ModelId = random.Next(2) == 0 ? "gpt-4o" : "claude",
                RequestId = "r" + i,
                TotalLatencyMs = Math.Round(50 + (random.NextDouble() * random.NextDouble() * 5_000), 1),
            });
            events.Add(evt with
            {
                Common = evt.Common with { EventId = new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8), Timestamp = Start.AddSeconds(random.Next(0, 3 * 3600)) },
            });
        }

        // Traffic arrives in time order (give or take the allowed lateness): windows close behind it.
        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    [Fact]
    public async Task QueryMetricsAsync_AfterStop_MatchesANaiveRecomputationPerModelAndHour()
    {
        var (provider, _) = Build();
        await using var _ = provider;
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = LatencyEvents(3_000, 5);
        await (await hub.IngestAsync(events)).Completion;
        await hub.StopAsync();

        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "llm_latency.latency_ms",
            TimeRange = new TimeRange(Start, SampleEvents.Now),
            Window = TimeWindow.OneHour,
            GroupBy = ["model_id"],
        });

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Contains("1h", result.Metadata!.Resolutions!);
        var expected = events
            .GroupBy(e => (Model: ((LatencyMetrics)e.Payload).ModelId, Hour: TimeWindow.OneHour.GetWindowStart(e.Timestamp)))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Hour)
            .ToList();
        Assert.Equal(expected.Select(g => (g.Key.Model, g.Key.Hour)), result.Metrics.Select(m => (m.Tags["model_id"], m.WindowStart)));
        var alpha = QuantileSketch.RelativeAccuracy;
        for (var i = 0; i < expected.Count; i++)
        {
            var values = expected[i].Select(e => ((LatencyMetrics)e.Payload).TotalLatencyMs).Order().ToArray();
            var stats = Assert.IsType<StatsMetricValues>(result.Metrics[i].Values).Stats;
            Assert.Equal((ulong)values.Length, stats.Count);
            Assert.Equal(values[0], stats.Min);
            Assert.Equal(values[^1], stats.Max);
            Assert.Equal(values.Sum(), stats.Sum, 1e-9 * values.Sum());
            Assert.Equal(values.Average(), stats.Avg, 1e-9 * values.Average());
            var h = (values.Length - 1) * 0.95;
            Assert.InRange(stats.P95, values[(int)Math.Floor(h)] * (1 - alpha), values[(int)Math.Ceiling(h)] * (1 + alpha));
            Assert.Equal(TimeWindow.OneHour, result.Metrics[i].Window);
            Assert.Equal(result.Metrics[i].WindowStart.AddHours(1), result.Metrics[i].WindowEnd);
        }
    }

    [Fact]
    public async Task MetricsStage_RollupWritesFailThenRecover_EveryWindowReachesLaterStagesOnceAndTheStoreOnce()
    {
        var store = new FlakyRollupStore(failures: 5);
        var windows = new WindowRecorder();
        var (provider, _) = Build(o =>
        {
            o.Ingestion.MaxRetries = 1;
            o.Ingestion.MaxBatchSize = 100;

            // About retries recovering: five failures in a row would otherwise open the metrics stage's circuit.
            o.Ingestion.CircuitBreaker.Enabled = false;
        }, services =>
        {
            services.AddSingleton<ITimeSeriesStore>(store);
            services.AddSingleton<IIngestionStage>(windows);
        });
        await using var _ = provider;
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = LatencyEvents(1_000, 3);

        await (await hub.IngestAsync(events)).Completion;
        await hub.StopAsync();

        Assert.True(store.Failed >= 5);
        Assert.Equal(windows.Seen.Count, windows.Seen.Distinct().Count());
        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "llm_latency.latency_ms",
            TimeRange = new TimeRange(Start, SampleEvents.Now),
            Window = TimeWindow.OneHour,
        });
        Assert.Equal(events.Count, result.Metrics!.Sum(m => (long)Assert.IsType<StatsMetricValues>(m.Values).Stats.Count));
    }

    /// <summary>Sees every closed window the metrics stage hands on, by series, window and start.</summary>
    private sealed class WindowRecorder : IIngestionStage
    {
        public List<(string Series, TimeWindow Window, DateTimeOffset Start)> Seen { get; } = [];

        public string Name => "window_recorder";

        public IReadOnlyList<HandOff> Consumes { get; } = [MetricsHandOffs.ClosedWindows];

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Seen.AddRange(batch.Get(MetricsHandOffs.ClosedWindows).Select(w => (w.Series.ToString(), w.Window, w.Start)));
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => ProcessAsync(batch, cancellationToken);
    }

    /// <summary>The in-memory store whose first rollup writes fail.</summary>
    private sealed class FlakyRollupStore(int failures) : ITimeSeriesStore, IDisposable
    {
        private readonly InMemoryTimeSeriesStore _inner = new();

        public int Failed { get; private set; }

        public void Dispose() => _inner.Dispose();

        public ValueTask<TimeSeriesWriteResult> WriteRollupsAsync(IReadOnlyList<RollupBucket> buckets, CancellationToken cancellationToken = default)
        {
            if (Failed < failures)
            {
                Failed++;
                throw new IOException("The rollup table is unavailable.");
            }

            return _inner.WriteRollupsAsync(buckets, cancellationToken);
        }

        public ValueTask<TimeSeriesWriteResult> WriteAsync(TimeSeriesBatch batch, CancellationToken cancellationToken = default) => _inner.WriteAsync(batch, cancellationToken);

        public ValueTask<TimeSeriesWriteResult> WritePointsAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken = default) => _inner.WritePointsAsync(points, cancellationToken);

        public ValueTask<TimeSeriesQueryOutcome> QueryAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<long> DeleteRangeAsync(string measurement, TimeRange range, IReadOnlyDictionary<string, string>? tagFilters = null, CancellationToken cancellationToken = default) =>
            _inner.DeleteRangeAsync(measurement, range, tagFilters, cancellationToken);

        public ValueTask<IReadOnlyList<SeriesDescription>> DescribeSeriesAsync(string? measurement = null, CancellationToken cancellationToken = default) => _inner.DescribeSeriesAsync(measurement, cancellationToken);

        public ValueTask<CardinalityReport> GetCardinalityAsync(string measurement, CancellationToken cancellationToken = default) => _inner.GetCardinalityAsync(measurement, cancellationToken);

        public ValueTask<RetentionResult> ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => _inner.ApplyRetentionAsync(now, cancellationToken);

        public ValueTask<IReadOnlyList<Problem>> RegisterContinuousQueryAsync(ContinuousQuery query, CancellationToken cancellationToken = default) => _inner.RegisterContinuousQueryAsync(query, cancellationToken);

        public ValueTask<bool> RemoveContinuousQueryAsync(string queryId, CancellationToken cancellationToken = default) => _inner.RemoveContinuousQueryAsync(queryId, cancellationToken);

        public ValueTask<IReadOnlyList<ContinuousQuery>> GetContinuousQueriesAsync(CancellationToken cancellationToken = default) => _inner.GetContinuousQueriesAsync(cancellationToken);
    }

    [Fact]
    public async Task QueryMetricsAsync_WithoutTheMetricsStage_ReadsTheMeasurementField()
    {
        var (provider, _) = Build(o => o.DisabledStages = ["metrics"]);
        await using var _ = provider;
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = LatencyEvents(200, 9);
        await (await hub.IngestAsync(events)).Completion;

        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "llm_latency.latency_ms",
            TimeRange = new TimeRange(Start, SampleEvents.Now),
            IncludeStats = [StatType.Count, StatType.Rate],
        });

        Assert.True(result.IsSuccess);
        Assert.Equal(["raw"], result.Metadata!.Resolutions);
        Assert.Equal(200L, result.Metrics.Sum(m => (long)Assert.IsType<CounterMetricValues>(m.Values).Value));
        Assert.All(result.Metrics, m => Assert.Equal(TimeWindow.OneMinute, m.Window)); // 180 windows in three hours: the finest automatic window
    }

    [Fact]
    public async Task QueryMetricsAsync_BadQuery_ReportsCodesAndPaths()
    {
        var (provider, _) = Build();
        await using var _ = provider;
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "",
            TimeRange = new TimeRange(SampleEvents.Now, Start),
            Window = TimeWindow.OneMonth,
        });

        Assert.False(result.IsSuccess);
        Assert.Equal(
            [(ProblemCodes.MeasurementRequired, "metric_name"), (ProblemCodes.InvalidTimeRange, "time_range"), (ProblemCodes.InvalidWindow, "window")],
            result.Errors.Select(e => (e.Code, e.Path)));
    }

    [Fact]
    public async Task RetentionInterval_Elapsed_AppliesTheStorePolicyOnTheHubClock()
    {
        var (provider, clock) = Build();
        await using var _ = provider;
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var point = new TimeSeriesPoint
        {
            Measurement = "old",
            Timestamp = SampleEvents.Now.AddDays(-8),
            Tags = new TagSet { SourceModule = "llm-observatory", Environment = "production" },
            Fields = new FieldSet([new("v", FieldValue.FromDouble(1))]),
        };
        Assert.True((await hub.TimeSeries.WritePointsAsync([point])).IsSuccess);

        clock.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await hub.TimeSeries.DescribeSeriesAsync("old"))[0].PointCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, (await hub.TimeSeries.DescribeSeriesAsync("old"))[0].PointCount);
        var answer = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = "old",
            TimeRange = new TimeRange(SampleEvents.Now.AddDays(-9), SampleEvents.Now),
            Aggregations = [new Aggregation { Function = AggregationFunction.Count, Fields = ["v"] }],
        });
        Assert.Equal(["5m"], answer.Result!.Metadata.Resolutions);
    }

    [Fact]
    public void AddAnalyticsHub_BadMetricsAndRetentionOptions_FailAtStart()
    {
        var (provider, _) = Build(o =>
        {
            o.RetentionInterval = TimeSpan.FromSeconds(-1);
            o.Metrics.Windows = [TimeWindow.OneMinute, TimeWindow.OneMinute];
            o.Metrics.MaxSeries = 0;
        });
        using var _ = provider;

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains("RetentionInterval", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Metrics.The window OneMinute is listed twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Metrics.MaxKeys", ex.Message, StringComparison.Ordinal);
    }
}
