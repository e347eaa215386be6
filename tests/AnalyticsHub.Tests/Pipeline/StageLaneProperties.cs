using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>
/// The law of concurrent lanes: the hub with every built-in stage gives the same accounting, the same events in the
/// same order to every stage (derived ones included), the same stored series (ids included) and the same metric
/// rollups right after a flush whether its lanes run at the same time or every stage runs in turn: with the default
/// lanes (<c>time_series</c> alone, <c>metrics</c> with the stages that read its windows, the main lane) and with
/// histograms and summaries configured (the <c>metrics</c> stage then writes raw points and joins the
/// <c>time_series</c> lane).
/// </summary>
public sealed class StageLaneProperties
{
    private const int Batch = 50;
    private const string Latency = "llm_latency.latency_ms";

    [Property(MaxTest = 4)]
    public async Task Hub_ConcurrentLanes_SameResultsAndAccountingAsStagesInTurn(int seed)
    {
        var events = Traffic(seed, 600);

        var concurrent = await RunAsync(events, concurrent: true, distributions: false);
        var sequential = await RunAsync(events, concurrent: false, distributions: false);

        Assert.Equal(sequential.Accounting, concurrent.Accounting);
        Assert.Equal(sequential.Seen, concurrent.Seen);
        Assert.Equal(sequential.Series, concurrent.Series);
        Assert.Equal(sequential.Rollups, concurrent.Rollups);
    }

    [Property(MaxTest = 3)]
    public async Task Hub_ConcurrentLanesWithHistogramsAndSummaries_SameResultsAndAccountingAsStagesInTurn(int seed)
    {
        var events = Traffic(seed, 600);

        var concurrent = await RunAsync(events, concurrent: true, distributions: true);
        var sequential = await RunAsync(events, concurrent: false, distributions: true);

        Assert.Equal(sequential.Accounting, concurrent.Accounting);
        Assert.Equal(sequential.Seen, concurrent.Seen);
        Assert.Equal(sequential.Series, concurrent.Series);
        Assert.Equal(sequential.Rollups, concurrent.Rollups);
        Assert.Contains(concurrent.Series, s => s.Contains(Latency + ".histogram", StringComparison.Ordinal));
        Assert.Contains(concurrent.Series, s => s.Contains(Latency + ".summary", StringComparison.Ordinal));
    }

    private static async Task<(string Accounting, List<string> Seen, List<string> Series, List<string> Rollups)> RunAsync(AnalyticsEvent[] events, bool concurrent, bool distributions)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        var recorder = new OrderRecorder();
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.ConcurrentStages = concurrent;
            if (distributions)
            {
                o.Metrics.Histograms.Add(new MetricDistributionOptions { Metric = Latency, Window = TimeWindow.OneMinute, UpperBounds = [200, 400, 800] });
                o.Metrics.Summaries.Add(new MetricDistributionOptions { Metric = Latency, Window = TimeWindow.OneMinute, Quantiles = [0.5, 0.95] });
            }

            // Batches of exactly one ingest call each: the reader waits (on the fake clock, forever) until 50 are queued,
            // so both hubs cut the same batches and derive the same events at the same places.
            o.Ingestion.MaxBatchSize = Batch;
            o.Ingestion.MaxBatchDelay = TimeSpan.FromHours(1);
        });
        services.AddSingleton<IIngestionStage>(recorder);
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        for (var start = 0; start < events.Length; start += Batch)
        {
            var result = await hub.IngestAsync(events[start..(start + Batch)]);
            await result.Completion;
        }

        await hub.FlushAsync();

        // What a reader sees once a flush returns: the rollups of every window the flushed batches closed.
        var rollups = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = Latency,
            TimeRange = new TimeRange(SampleEvents.Now.AddHours(-1), SampleEvents.Now),
            Window = TimeWindow.OneMinute,
            GroupBy = ["model_id"],
        });
        Assert.True(rollups.IsSuccess, string.Join("; ", rollups.Errors.Select(e => e.Message)));
        Assert.NotEmpty(rollups.Metrics!);
        var windows = rollups.Metrics!.Select(m =>
        {
            var stats = Assert.IsType<StatsMetricValues>(m.Values).Stats;
            return string.Create(CultureInfo.InvariantCulture, $"{m.Tags["model_id"]} {m.WindowStart:O} {stats.Count} {stats.Sum:R} {stats.Min:R} {stats.Max:R} {stats.P95:R}");
        }).ToList();

        await hub.StopAsync();
        var s = hub.Statistics;
        var accounting = string.Create(CultureInfo.InvariantCulture, $"{s.Offered} {s.Stored} {s.Duplicates} {s.Failed} {s.Derived} {s.RejectedPoints} {s.StageFailures.Count}");
        var series = new List<string>();
        foreach (var description in await provider.GetRequiredService<ITimeSeriesStore>().DescribeSeriesAsync())
        {
            series.Add(string.Create(CultureInfo.InvariantCulture,
                $"{description.SeriesId} {description.Measurement} {string.Join(',', description.Tags.GetSortedPairs())} {description.PointCount} {string.Join(',', description.Fields)}"));
        }

        return (accounting, recorder.Seen, series, windows);
    }

    /// <summary>Seeded traffic over 50 minutes: latency (with a spike on one model), token usage and costs, logins.</summary>
    private static AnalyticsEvent[] Traffic(int seed, int count)
    {
        var random = new Random(seed);
        var start = SampleEvents.Now.AddMinutes(-50);
        var events = new AnalyticsEvent[count];
        for (var i = 0; i < count; i++)
        {
            var model = "model-" + random.Next(3).ToString(CultureInfo.InvariantCulture);
            var spike = model == "model-0" && i > count * 3 / 4 ? 20 : 1;
            var requestId = "req-" + i.ToString(CultureInfo.InvariantCulture);
            EventPayload payload = random.Next(10) switch
            {
                < 6 => new LatencyMetrics { ModelId = model, RequestId = requestId, TotalLatencyMs = Math.Round(spike * 200 * Math.Exp(random.NextDouble()), 1), TtftMs = 40 },
                < 8 => new TokenUsageMetrics { ModelId = model, RequestId = requestId, PromptTokens = 100, CompletionTokens = 20, TotalTokens = 120 },
                < 9 => new TokenCostEvent
                {
                    ModelId = model, RequestId = requestId, PromptTokens = 800, CompletionTokens = 200, TotalTokens = 1000,
                    CostPerPromptToken = 2.5e-6, CostPerCompletionToken = 1e-5, TotalCostUsd = 0.004, Currency = "USD",
                },
                _ => new AuthEvent { UserId = "user-" + random.Next(5).ToString(CultureInfo.InvariantCulture), Action = AuthAction.Login, Resource = "api", Success = random.Next(4) != 0 },
            };
            events[i] = new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = new Guid(i, (short)seed, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1),
                    Timestamp = start.AddSeconds(5 * i),
                    SourceModule = payload is AuthEvent ? SourceModule.LlmSentinel : payload is TokenCostEvent ? SourceModule.LlmCostOps : SourceModule.LlmObservatory,
                    EventType = AnalyticsEventFactory.DefaultEventType(payload),
                    Severity = Severity.Info,
                    Environment = random.Next(2) == 0 ? "production" : "staging",
                    Tags = new Dictionary<string, string> { ["region"] = "region-" + random.Next(3).ToString(CultureInfo.InvariantCulture) },
                },
                Payload = payload,
            };
        }

        return events;
    }

    /// <summary>A main-lane stage that writes down every event it sees, batch by batch, in order.</summary>
    private sealed class OrderRecorder : IIngestionStage
    {
        public List<string> Seen { get; } = [];

        public string Name => "order_recorder";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Seen.Add(string.Join(' ', batch.Events.Select(e => e.EventId.ToString("N")[..8] + ":" + e.Payload.Subtype)));
            return ValueTask.CompletedTask;
        }
    }
}
