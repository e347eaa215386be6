using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

public class AnomalyStageTests
{
    private const int Minutes = 300;
    private const int ShiftStart = 200;
    private const int ShiftMinutes = 20;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    private static ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Three latency events a minute for two models; <c>shifty</c> runs ten times slower for twenty minutes.</summary>
    private static List<AnalyticsEvent> Stream()
    {
        var random = new Random(16);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            for (var k = 0; k < 3; k++)
            {
                foreach (var model in (string[])["shifty", "clean"])
                {
                    var shifted = model == "shifty" && minute is >= ShiftStart and < ShiftStart + ShiftMinutes;
                    var latency = (shifted ? 2_000 : 200) + (random.NextDouble() * 40) - 20;
                    n++;
                    events.Add(new AnalyticsEvent
                    {
                        Common = new CommonEventFields
                        {
                            EventId = new Guid(n, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8),
                            Timestamp = Start.AddMinutes(minute).AddSeconds((k * 20) + 5),
                            SourceModule = SourceModule.LlmObservatory,
                            EventType = EventType.Telemetry,
                            CorrelationId = new Guid(n, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8),
                            Severity = Severity.Info,
                            Environment = "production",
                            Tags = new Dictionary<string, string> { ["region"] = "eu-west" },
                        },
                        Payload = new LatencyMetrics { ModelId = model, RequestId = "r" + n, TotalLatencyMs = latency },
                    });
                }
            }
        }

        return events;
    }

    private static async Task<List<AnalyticsEvent>> IngestAndReadAnomaliesAsync(IAnalyticsHub hub, List<AnalyticsEvent> events)
    {
        await hub.StartAsync();
        foreach (var chunk in events.Chunk(97))
        {
            await hub.IngestAsync(chunk);
        }

        await hub.FlushAsync();
        var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], PerPage = 1000 });
        return [.. page.Events.Where(e => e.Payload is CustomPayload { CustomType: "anomaly" }).OrderBy(e => e.Timestamp)];
    }

    private static AnomalyEvent Data(AnalyticsEvent evt) =>
        ((CustomPayload)evt.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!;

    [Fact]
    public async Task Hub_LevelShiftOnOneSeries_ReportsOneOpenAndOneCloseEventOnlyForThatSeries()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = Stream();

        var anomalies = await IngestAndReadAnomaliesAsync(hub, events);

        Assert.Equal(2, anomalies.Count);
        var open = anomalies.Single(e => e.Common.Tags["anomaly_phase"] == "open");
        var close = anomalies.Single(e => e.Common.Tags["anomaly_phase"] == "close");
        Assert.All(anomalies, e =>
        {
            Assert.Equal("shifty", e.Common.Tags["model_id"]);
            Assert.Equal(EventType.Alert, e.EventType);
            Assert.Equal("mean(llm_latency.latency_ms)", Data(e).Metric);
            Assert.Equal(SourceModule.LlmObservatory, Data(e).SourceModule);
            Assert.Equal(e.EventId, Data(e).EventId);
        });

        var opening = Data(open);
        Assert.Equal(AnomalyType.Spike, opening.AnomalyType);
        Assert.Equal(Start.AddMinutes(ShiftStart), opening.Timestamp);
        Assert.InRange(opening.Baseline, 180, 220);
        Assert.InRange(opening.Observed, 1_900, 2_100);
        Assert.True(opening.AnomalyScore >= AnomalyDetectorOptions.DefaultThreshold);

        var parent = Assert.IsType<Guid>(open.Common.ParentEventId);
        var trigger = events.Single(e => e.EventId == parent);
        Assert.Equal("shifty", ((LatencyMetrics)trigger.Payload).ModelId);
        Assert.Equal(Start.AddMinutes(ShiftStart), new DateTimeOffset(trigger.Timestamp.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero));
        Assert.Equal(trigger.Common.CorrelationId, open.Common.CorrelationId);

        Assert.Equal(open.EventId, close.Common.ParentEventId);
        Assert.Equal(open.Common.CorrelationId, close.Common.CorrelationId);
        Assert.Equal((ShiftMinutes * 60).ToString(System.Globalization.CultureInfo.InvariantCulture), close.Common.Tags["duration_seconds"]);
        Assert.Equal(Start.AddMinutes(ShiftStart + ShiftMinutes), close.Timestamp);
        var closing = Data(close);
        Assert.True(closing.AnomalyScore >= opening.AnomalyScore);
        Assert.Equal(AnomalyType.Spike, closing.AnomalyType);
        Assert.Equal(AnomalyEpisodeTracker.SeverityOf(closing.AnomalyScore), close.Severity);

        // When each was decided, in event time: an opening when a later window confirmed it (after its start, within the
        // episode), a close at its last anomalous window's end plus the merge gap, however the close was reached.
        var opened = DateTimeOffset.Parse(open.Common.Tags["detected_at"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(opened, Start.AddMinutes(ShiftStart + 1), Start.AddMinutes(ShiftStart + ShiftMinutes));
        Assert.Equal(
            Start.AddMinutes(ShiftStart + ShiftMinutes) + new AnomalyStageOptions().MergeGap,
            DateTimeOffset.Parse(close.Common.Tags["detected_at"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Hub_SameStreamTwice_GivesTheSameAnomalyEventIds()
    {
        var ids = new List<Guid[]>();
        for (var run = 0; run < 2; run++)
        {
            await using var provider = Build();
            var anomalies = await IngestAndReadAnomaliesAsync(provider.GetRequiredService<IAnalyticsHub>(), Stream());
            ids.Add([.. anomalies.Select(e => e.EventId)]);
        }

        Assert.Equal(2, ids[0].Length);
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task Hub_LatePoints_AreCountedAndChangeNoDetector()
    {
        // The same stream, plus wild latencies (50 s) time-stamped 70 to 40 minutes before the shift but ingested at its
        // start and again at the end of the stream: event time has passed them, so they are late.
        var clean = Stream();
        var late = new List<AnalyticsEvent>(clean);
        var lateCount = 0;
        foreach (var at in (int[])[ShiftStart * 6, late.Count])
        {
            var wild = clean.Skip(2 * 3 * (ShiftStart - 70)).Take(2 * 3 * 30).Select(e => e with
            {
                Common = e.Common with { EventId = Guid.NewGuid() },
                Payload = (LatencyMetrics)e.Payload with { TotalLatencyMs = 50_000 },
            }).ToList();
            late.InsertRange(at, wild);
            lateCount += wild.Count;
        }

        Assert.True(lateCount > 0);
        var runs = new List<(List<AnalyticsEvent> Anomalies, long SkippedLate, long LateWindows)>();
        foreach (var events in (List<AnalyticsEvent>[])[clean, late])
        {
            await using var provider = Build();
            var meter = provider.GetRequiredService<HubMeter>().Meter;
            long skippedLate = 0, lateWindows = 0;
            using var listener = new System.Diagnostics.Metrics.MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "analyticshub.metrics.skipped_values")
                {
                    foreach (var tag in tags)
                    {
                        if (tag.Key == "reason" && (string?)tag.Value == "late")
                        {
                            Interlocked.Add(ref skippedLate, value);
                        }
                    }
                }
                else if (instrument.Name == "analyticshub.anomalies.late_windows")
                {
                    Interlocked.Add(ref lateWindows, value);
                }
            });
            listener.Start();
            var anomalies = await IngestAndReadAnomaliesAsync(provider.GetRequiredService<IAnalyticsHub>(), events);
            var stage = provider.GetServices<IIngestionStage>().OfType<AnomalyStage>().Single();
            Assert.Equal(lateWindows, stage.LateWindows);
            runs.Add((anomalies, Interlocked.Read(ref skippedLate), lateWindows));
        }

        // Counted where event time refuses them (the metrics stage's late values), and no window reaches a detector late.
        Assert.True(runs[1].SkippedLate >= runs[0].SkippedLate + lateCount, $"{runs[1].SkippedLate} late values counted, {runs[0].SkippedLate} without them, {lateCount} sent");
        Assert.Equal(0, runs[1].LateWindows);

        // The episodes are those of the stream without them: same ids, same data.
        Assert.Equal(2, runs[0].Anomalies.Count);
        Assert.Equal(runs[0].Anomalies.Select(e => e.EventId), runs[1].Anomalies.Select(e => e.EventId));
        Assert.Equal(
            runs[0].Anomalies.Select(e => ((CustomPayload)e.Payload).Data.GetRawText()),
            runs[1].Anomalies.Select(e => ((CustomPayload)e.Payload).Data.GetRawText()));
    }

    [Fact]
    public async Task Hub_AnomaliesStageDisabled_ReportsNothing()
    {
        await using var provider = Build(o => o.DisabledStages = ["anomalies"]);
        Assert.Empty(await IngestAndReadAnomaliesAsync(provider.GetRequiredService<IAnalyticsHub>(), Stream()));
    }

    [Fact]
    public async Task Hub_SeriesCapOfOne_TracksOnlyTheFirstSeriesAndCountsTheRest()
    {
        await using var provider = Build(o =>
        {
            o.Anomalies.MaxSeries = 1;
            o.Anomalies.Series = [new AnomalySeriesRule { Metric = "llm_latency.latency_ms" }];
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var stage = provider.GetServices<IIngestionStage>().OfType<AnomalyStage>().Single();

        await IngestAndReadAnomaliesAsync(hub, Stream());

        Assert.Equal(1, stage.SeriesCount);
    }

    [Fact]
    public void Options_Invalid_ListsEveryProblem()
    {
        var options = new AnalyticsHubOptions
        {
            Anomalies = new AnomalyStageOptions
            {
                MaxSeries = 0,
                MergeGap = TimeSpan.FromSeconds(10),
                MaxFillMinutes = -1,
                MinimumWindows = 0,
                MinimumEvidence = double.NaN,
                Series =
                [
                    new AnomalySeriesRule { Metric = "no_field" },
                    new AnomalySeriesRule { Metric = "a.b", Statistic = (AnomalyStatistic)42 },
                    new AnomalySeriesRule { Metric = "a.b" },
                    new AnomalySeriesRule { Metric = "a.b" },
                    new AnomalySeriesRule { Metric = "c.d", RateWindowSeconds = -1 },
                    new AnomalySeriesRule { Metric = "e.f", RateWindowSeconds = double.NaN },
                ],
            },
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("Anomalies.MaxSeries", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.MergeGap", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.MaxFillMinutes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.MinimumWindows", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.MinimumEvidence", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.Series[0].Metric", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.Series[1].Statistic", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.Series[3] repeats mean(a.b)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.Series[4].RateWindowSeconds -1 must lie in 0..86400", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Anomalies.Series[5].RateWindowSeconds NaN must lie in 0..86400", StringComparison.Ordinal));
        Assert.Equal(10, problems.Count);
    }

    [Fact]
    public void Options_Defaults_AreValid() => Assert.Empty(new AnalyticsHubOptions().Validate());

    [Fact]
    public async Task Hub_InvalidAnomalyOptions_FailsAtStart()
    {
        await using var provider = Build(o => o.Anomalies.MaxSeries = -5);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value);
        Assert.Contains("Anomalies.MaxSeries", error.Message, StringComparison.Ordinal);
    }
}
