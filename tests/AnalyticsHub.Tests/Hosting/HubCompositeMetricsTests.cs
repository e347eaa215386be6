using System.Diagnostics.Metrics;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Composite and cross-module metrics computed by the hub's metrics stage and queried as metrics (issue 38).</summary>
public sealed class HubCompositeMetricsTests
{
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddHours(-3);

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

    private static AnalyticsEvent At(EventPayload payload, int index, DateTimeOffset timestamp)
    {
        var evt = SampleEvents.Event(payload);
        return evt with { Common = evt.Common with { EventId = new Guid(index, 3, 8, 1, 2, 3, 4, 5, 6, 7, 8), Timestamp = timestamp } };
    }

    /// <summary>
    /// Minute 0: 60 requests, 1 USD of token cost, a high and a critical threat, 3 passed compliance checks and 1 failed;
    /// minute 1: 30 requests and nothing else.
    /// </summary>
    private static List<AnalyticsEvent> Traffic()
    {
        var events = new List<AnalyticsEvent>();
        var id = 0;
        for (var i = 0; i < 60; i++)
        {
            events.Add(At(SampleEvents.Latency with { RequestId = "a" + i, TotalLatencyMs = 100 }, id++, Start.AddSeconds(i)));
        }

        for (var i = 0; i < 4; i++)
        {
            events.Add(At(SampleEvents.TokenCost with { RequestId = "c" + i, TotalCostUsd = 0.25 }, id++, Start.AddSeconds(10 + i)));
        }

        var threat = (ThreatEvent)SampleEvents.AllPayloads().First(p => p is ThreatEvent);
        events.Add(At(threat with { ThreatLevel = ThreatLevel.High }, id++, Start.AddSeconds(20)));
        events.Add(At(threat with { ThreatId = "t2", ThreatLevel = ThreatLevel.Critical }, id++, Start.AddSeconds(21)));
        var check = (ComplianceCheckEvent)SampleEvents.AllPayloads().First(p => p is ComplianceCheckEvent);
        for (var i = 0; i < 4; i++)
        {
            events.Add(At(check with { CheckId = "k" + i, Passed = i < 3 }, id++, Start.AddSeconds(30 + i)));
        }

        for (var i = 0; i < 30; i++)
        {
            events.Add(At(SampleEvents.Latency with { RequestId = "b" + i, TotalLatencyMs = 100 }, id++, Start.AddSeconds(60 + (2 * i))));
        }

        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    private static async Task<double[]> MinuteValues(IAnalyticsHub hub, string metric)
    {
        var result = await hub.QueryMetricsAsync(new MetricQuery
        {
            MetricName = metric,
            TimeRange = new TimeRange(Start, Start.AddMinutes(2)),
            Window = TimeWindow.OneMinute,
        });
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        return [.. result.Metrics.OrderBy(m => m.WindowStart).Select(m => Assert.IsType<StatsMetricValues>(m.Values).Stats.Avg)];
    }

    [Fact]
    public async Task CrossModuleMetrics_ByDefault_ComputedPerClosedWindowAndQueryable()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await (await hub.IngestAsync(Traffic())).Completion;
        await hub.StopAsync();

        const double threat = 1 - (0.6 * 0.2); // 1 - (1 - 0.4)(1 - 0.8)
        Assert.Equal([threat, 0], await MinuteValues(hub, "threat_score"), new Tolerance(1e-12));
        Assert.Equal([60.0], await MinuteValues(hub, "cost_efficiency"), new Tolerance(1e-9)); // 60 successful requests per USD
        Assert.Equal([1 / 60.0], await MinuteValues(hub, "cost_per_request"), new Tolerance(1e-12));
        Assert.Equal([60 * (1 - threat)], await MinuteValues(hub, "security_adjusted_cost_efficiency"), new Tolerance(1e-9));
        Assert.Equal([1.0, 0.5], await MinuteValues(hub, "error_adjusted_throughput"), new Tolerance(1e-12));
        // No baseline yet in minute 0 (every request counts as within it); minute 1's requests all equal the baseline.
        Assert.Equal([0.75, 1.0], await MinuteValues(hub, "compliance_weighted_performance"), new Tolerance(1e-12));
        var health = (0.4 * 1) + (0.3 * (1 - threat)) + (0.15 * 1) + (0.15 * 0.75);
        Assert.Equal([health, 1.0], await MinuteValues(hub, "system_health_score"), new Tolerance(1e-12));
    }

    [Fact]
    public async Task CompositeMetrics_FromOptionsAndAtRuntime_WrittenAsRollupSeries()
    {
        await using var provider = Build(o =>
        {
            o.Metrics.CrossModuleMetrics = false;
            o.Metrics.AddCompositeMetric(new CompositeMetricDefinition("cost_per_token", "", "cost / tokens",
            [
                new() { Name = "cost", SourceModule = "llm-cost-ops", MetricName = "cost_token.cost_usd" },
                new() { Name = "tokens", SourceModule = "llm-cost-ops", MetricName = "cost_token.token_count" },
            ]));
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        Assert.Empty(hub.CompositeMetrics.TryAdd(new CompositeMetricDefinition("cost_per_million", "", "per_token * 1000000",
            [new() { Name = "per_token", SourceModule = "llm-cost-ops", MetricName = "cost_per_token", Stat = StatType.Avg }])));
        await hub.StartAsync();
        await (await hub.IngestAsync(Traffic())).Completion;
        await hub.StopAsync();

        Assert.Equal([1.0 / 600], await MinuteValues(hub, "cost_per_token"), new Tolerance(1e-15)); // 1 USD over 4 × 150 tokens
        Assert.Equal([1e6 / 600], await MinuteValues(hub, "cost_per_million"), new Tolerance(1e-6));
        Assert.Empty(await MinuteValues(hub, "threat_score"));
    }

    [Fact]
    public async Task CompositeMetricsStage_TimedOnItsOwnAndWhenDisabledStoresNoComposite()
    {
        static void Configure(AnalyticsHubOptions o) => o.Metrics.AddCompositeMetric(new CompositeMetricDefinition("cost_per_token", "", "cost / tokens",
        [
            new() { Name = "cost", SourceModule = "llm-cost-ops", MetricName = "cost_token.cost_usd" },
            new() { Name = "tokens", SourceModule = "llm-cost-ops", MetricName = "cost_token.token_count" },
        ]));

        await using var provider = Build(Configure);
        var timed = new List<string>();
        using var listener = new MeterListener();
        var meter = provider.GetRequiredService<AnalyticsHub.Pipeline.HubMeter>().Meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "analyticshub.stage.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "stage", Value: string stage })
                {
                    lock (timed)
                    {
                        timed.Add(stage);
                    }
                }
            }
        });
        listener.Start();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await (await hub.IngestAsync(Traffic())).Completion;
        await hub.StopAsync();

        lock (timed)
        {
            Assert.Contains("composite_metrics", timed);
            Assert.Contains("metrics", timed);
        }

        Assert.Equal([1.0 / 600], await MinuteValues(hub, "cost_per_token"), new Tolerance(1e-15));
        Assert.NotEmpty(await MinuteValues(hub, "threat_score"));

        await using var withoutStage = Build(o =>
        {
            Configure(o);
            o.DisabledStages = ["composite_metrics"];
        });
        var other = withoutStage.GetRequiredService<IAnalyticsHub>();
        await other.StartAsync();
        await (await other.IngestAsync(Traffic())).Completion;
        await other.StopAsync();

        Assert.Empty(await MinuteValues(other, "cost_per_token"));
        Assert.Empty(await MinuteValues(other, "threat_score"));
        Assert.Empty(await MinuteValues(other, "system_health_score"));
        var requests = await other.QueryMetricsAsync(new MetricQuery
        {
            MetricName = "llm_latency.latency_ms",
            TimeRange = new TimeRange(Start, Start.AddMinutes(2)),
            Window = TimeWindow.OneMinute,
        });
        Assert.NotNull(requests.Metrics);
        Assert.Equal([60UL, 30UL], requests.Metrics.OrderBy(m => m.WindowStart).Select(m => Assert.IsType<StatsMetricValues>(m.Values).Stats.Count));
    }

    [Fact]
    public void CompositeMetrics_OptionsReadEachOther_RefusedAtStartWithThePosition()
    {
        using var provider = Build(o =>
        {
            o.Metrics.AddCompositeMetric(new CompositeMetricDefinition("a", "", "a = 2 * b_value", [new() { Name = "b_value", SourceModule = "x", MetricName = "b" }]));
            o.Metrics.AddCompositeMetric(new CompositeMetricDefinition("b", "", "b = a_value + 1", [new() { Name = "a_value", SourceModule = "x", MetricName = "a" }]));
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());
        Assert.Contains("composite_cycle at 1:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestMetricsAsync_ValidAndInvalid_ValidStoredAsPointsInvalidRefusedWithPaths()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var tags = new Dictionary<string, string> { ["source_module"] = "llm-observatory", ["environment"] = "prod" };
        var result = await hub.IngestMetricsAsync(
        [
            new CounterMetric { Name = "requests_total", Tags = tags, Timestamp = Start, Value = 100 },
            new CounterMetric { Name = "requests_total", Tags = tags, Timestamp = Start.AddSeconds(20), Value = 160 },
            new GaugeMetric { Name = "queue_depth", Tags = new Dictionary<string, string> { ["source_module"] = "x" }, Timestamp = Start, Value = 3 },
        ]);

        Assert.Equal(2, result.AcceptedCount);
        Assert.Equal(EventItemStatus.Invalid, result.Items[2].Status);
        Assert.Equal(3.0, ((CounterMetric)result.Items[1].Metric!).Rate);
        var problem = Assert.Single(result.Items[2].Problems);
        Assert.Equal((ProblemCodes.MissingField, "$[2].tags.environment"), (problem.Code, problem.Path));
        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Stored, EventItemStatus.Invalid], (await result.Completion).Select(i => i.Status));

        var points = await hub.QueryTimeSeriesAsync(new AnalyticsHub.TimeSeries.TimeSeriesQuery
        {
            Measurement = "requests_total",
            TimeRange = new TimeRange(Start, Start.AddMinutes(1)),
        });
        var rows = Assert.Single(points.Result!.Series).Points;
        Assert.Equal(2, rows.Count);
        Assert.Equal(AnalyticsHub.TimeSeries.FieldValue.FromDouble(3), rows[1].Values["rate"]);
        Assert.Empty(await hub.TimeSeries.DescribeSeriesAsync("queue_depth"));
        await hub.StopAsync();
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
