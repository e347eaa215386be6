using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsHub.Tests.Hosting.HubTestDoubles;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Ingested metrics go through the pipeline's stages with the events' accounting, backpressure and flush (issue 38).</summary>
public sealed class HubMetricIngestionTests
{
    private const int Minutes = 300;
    private const int ShiftStart = 200;
    private const int ShiftMinutes = 20;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    private static ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string> Tags(string model) => new()
    {
        ["source_module"] = "llm-observatory",
        ["environment"] = "production",
        ["model_id"] = model,
    };

    private static GaugeMetric Gauge(string name, string model, DateTimeOffset at, double value) =>
        new() { Name = name, Tags = Tags(model), Timestamp = at, Value = value };

    /// <summary>Three latencies a minute for two models; <c>shifty</c> runs ten times slower for twenty minutes.</summary>
    private static List<(string Model, DateTimeOffset At, double Value)> Latencies()
    {
        var random = new Random(16);
        var values = new List<(string, DateTimeOffset, double)>();
        for (var minute = 0; minute < Minutes; minute++)
        {
            for (var k = 0; k < 3; k++)
            {
                foreach (var model in (string[])["shifty", "clean"])
                {
                    var shifted = model == "shifty" && minute is >= ShiftStart and < ShiftStart + ShiftMinutes;
                    values.Add((model, Start.AddMinutes(minute).AddSeconds((k * 20) + 5), (shifted ? 2_000 : 200) + (random.NextDouble() * 40) - 20));
                }
            }
        }

        return values;
    }

    private static async Task<List<AnomalyEvent>> AnomaliesAsync(IAnalyticsHub hub)
    {
        var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], PerPage = 1000 });
        return [.. page.Events
            .Where(e => e.Payload is CustomPayload { CustomType: AnomalyStage.CustomType })
            .Select(e => ((CustomPayload)e.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!)
            .OrderBy(a => a.Timestamp).ThenBy(a => a.Metric, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task IngestMetricsAsync_GaugeLevelShift_RaisesTheEpisodeTheSameValuesAsEventsRaise()
    {
        var latencies = Latencies();

        await using var eventsProvider = Build();
        var eventsHub = eventsProvider.GetRequiredService<IAnalyticsHub>();
        await eventsHub.StartAsync();
        var n = 0;
        var events = latencies.Select(l => SampleEvents.Event(SampleEvents.Latency with { ModelId = l.Model, RequestId = "r" + n, TotalLatencyMs = l.Value }) with
        {
            Common = SampleEvents.Event(SampleEvents.Latency).Common with
            {
                EventId = new Guid(++n, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8),
                Timestamp = l.At,
                SourceModule = SourceModule.LlmObservatory,
                Environment = "production",
            },
        }).ToList();
        foreach (var chunk in events.Chunk(97))
        {
            await eventsHub.IngestAsync(chunk);
        }

        await eventsHub.FlushAsync();

        await using var metricsProvider = Build(o => o.Anomalies.Series = [new AnomalySeriesRule { Metric = "request_latency.value" }]);
        var metricsHub = metricsProvider.GetRequiredService<IAnalyticsHub>();
        await metricsHub.StartAsync();
        foreach (var chunk in latencies.Chunk(97))
        {
            await metricsHub.IngestMetricsAsync([.. chunk.Select(l => Gauge("request_latency", l.Model, l.At, l.Value))]);
        }

        await metricsHub.FlushAsync();

        var fromEvents = await AnomaliesAsync(eventsHub);
        var fromMetrics = await AnomaliesAsync(metricsHub);
        Assert.Equal(2, fromEvents.Count);
        Assert.Equal(fromEvents.Count, fromMetrics.Count);
        for (var i = 0; i < fromEvents.Count; i++)
        {
            Assert.Equal("mean(request_latency.value)", fromMetrics[i].Metric);
            Assert.Equal(
                (fromEvents[i].Timestamp, fromEvents[i].AnomalyType, fromEvents[i].SourceModule, fromEvents[i].Observed, fromEvents[i].Baseline, fromEvents[i].AnomalyScore),
                (fromMetrics[i].Timestamp, fromMetrics[i].AnomalyType, fromMetrics[i].SourceModule, fromMetrics[i].Observed, fromMetrics[i].Baseline, fromMetrics[i].AnomalyScore));
        }

        Assert.Equal(Start.AddMinutes(ShiftStart), fromMetrics[0].Timestamp);
    }

    [Fact]
    public async Task IngestMetricsAsync_GaugeSeries_ShowsUpInTheWindowedStatistics()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var gauges = Enumerable.Range(0, 18).Select(i => Gauge("queue_depth", "m1", Start.AddSeconds(i * 10), i)).ToList();
        await hub.IngestMetricsAsync(gauges);
        await hub.StopAsync();

        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "queue_depth.value",
            TimeRange = new TimeRange(Start, Start.AddMinutes(3)),
            Window = TimeWindow.OneMinute,
        });

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        var windows = result.Metrics!.OrderBy(m => m.WindowStart).Select(m => Assert.IsType<StatsMetricValues>(m.Values).Stats).ToList();
        var expected = gauges.GroupBy(g => TimeWindow.OneMinute.GetWindowStart(g.Timestamp)).OrderBy(g => g.Key).ToList();
        Assert.Equal(expected.Count, windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            Assert.Equal((ulong)expected[i].Count(), windows[i].Count);
            Assert.Equal(expected[i].Average(g => g.Value), windows[i].Avg, 9);
            Assert.Equal(expected[i].Max(g => g.Value), windows[i].Max);
        }

        // The delta the continuity filled in is aggregated too: every gauge after the first rose by 1.
        var deltas = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "queue_depth.delta",
            TimeRange = new TimeRange(Start, Start.AddMinutes(3)),
            Window = TimeWindow.OneHour,
        });
        var delta = Assert.IsType<StatsMetricValues>(Assert.Single(deltas.Metrics!).Values).Stats;
        Assert.Equal((17UL, 1.0, 1.0), (delta.Count, delta.Min, delta.Max));
    }

    [Fact]
    public async Task FlushAsync_AfterIngestMetrics_WaitsForTheirPointsAndCountsThemStored()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var result = await hub.IngestMetricsAsync([.. Enumerable.Range(0, 250).Select(i => Gauge("queue_depth", "m" + (i % 5), Start.AddSeconds(i), i))]);
        Assert.Equal(250, result.AcceptedCount);

        await hub.FlushAsync();

        Assert.True(result.Completion.IsCompletedSuccessfully);
        Assert.All(await result.Completion, item => Assert.Equal(EventItemStatus.Stored, item.Status));
        Assert.Equal(5, (await hub.TimeSeries.DescribeSeriesAsync("queue_depth")).Count);
        var statistics = hub.Statistics;
        Assert.Equal((250L, 250L, 250L, 0L), (statistics.Offered, statistics.Accepted, statistics.Stored, statistics.InFlight));
        Assert.Empty((await hub.QueryEventsAsync(new EventQuery())).Events);
    }

    [Theory]
    [InlineData(BackpressureMode.Refuse, EventItemStatus.Refused)]
    [InlineData(BackpressureMode.DropNewest, EventItemStatus.Dropped)]
    public async Task IngestMetricsAsync_QueueFull_CountsEachMetricOnceLikeEvents(BackpressureMode mode, EventItemStatus pushedBack)
    {
        var stage = new HungStage();
        await using var provider = Build(
            o =>
            {
                o.Ingestion.QueueCapacity = 2;
                o.Ingestion.Backpressure = mode;
            },
            s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var first = await hub.IngestMetricsAsync([Gauge("queue_depth", "m", Start, 1)]);
        await stage.Entered.Task;

        var result = await hub.IngestMetricsAsync(
        [
            Gauge("queue_depth", "m", Start.AddSeconds(1), 2),
            Gauge("queue_depth", "m", Start.AddSeconds(2), 3),
            Gauge("queue_depth", "m", Start.AddSeconds(3), 4),
            new GaugeMetric { Name = "queue_depth", Tags = Tags("m"), Timestamp = Start, Value = double.NaN },
            Gauge("queue_depth", "m", Start.AddSeconds(4), 5),
        ]);

        Assert.Equal([EventItemStatus.Accepted, EventItemStatus.Accepted, pushedBack, EventItemStatus.Invalid, pushedBack], result.Items.Select(i => i.Status));
        Assert.Equal((ProblemCodes.NonFiniteNumber, "$[3].value"), (result.Items[3].Problems[0].Code, result.Items[3].Problems[0].Path));
        var during = hub.Statistics;
        Assert.Equal((6L, 1L, 3L, 0L, 3L), (during.Offered, during.Invalid, during.Accepted, during.Stored, during.InFlight));
        Assert.Equal(2L, mode == BackpressureMode.Refuse ? during.Refused : during.Dropped);

        stage.Release();
        await hub.FlushAsync();

        Assert.Equal(EventItemStatus.Stored, Assert.Single(await first.Completion).Status);
        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Stored, pushedBack, EventItemStatus.Invalid, pushedBack], (await result.Completion).Select(i => i.Status));
        var after = hub.Statistics;
        Assert.Equal((3L, 0L), (after.Stored, after.InFlight));
        Assert.Equal(after.Offered, after.Invalid + after.Refused + after.Dropped + after.Accepted);
        Assert.Equal(3, (await hub.TimeSeries.QueryAsync(new AnalyticsHub.TimeSeries.TimeSeriesQuery
        {
            Measurement = "queue_depth",
            TimeRange = new TimeRange(Start, Start.AddMinutes(1)),
        })).Result!.Series.Single().Points.Count);
    }

    [Fact]
    public async Task IngestMetricsAsync_EventStoreFailsTheSharedBatch_MetricStillReachesTheStages()
    {
        var stage = new HungStage();
        var store = new FailingStore();
        await using var provider = Build(o => o.Ingestion.MaxRetries = 0, s =>
        {
            s.AddSingleton<IEventStore>(store);
            s.AddSingleton<IIngestionStage>(stage);
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestMetricsAsync([Gauge("queue_depth", "m", Start, 1)]);
        await stage.Entered.Task;

        // Queued while the loop is held, so the event and the metric share the next batch.
        var evt = await hub.IngestAsync(Latency(1));
        var metric = await hub.IngestMetricsAsync([Gauge("queue_depth", "m", Start.AddSeconds(1), 2)]);
        stage.Release();
        await hub.FlushAsync();

        Assert.Equal(EventItemStatus.Failed, Assert.Single(await evt.Completion).Status);
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await metric.Completion).Status);
        Assert.Equal(2, (await hub.TimeSeries.QueryAsync(new AnalyticsHub.TimeSeries.TimeSeriesQuery
        {
            Measurement = "queue_depth",
            TimeRange = new TimeRange(Start, Start.AddMinutes(1)),
        })).Result!.Series.Single().Points.Count);
        var statistics = hub.Statistics;
        Assert.Equal((3L, 2L, 1L, 0L), (statistics.Accepted, statistics.Stored, statistics.Failed, statistics.InFlight));
    }
}
