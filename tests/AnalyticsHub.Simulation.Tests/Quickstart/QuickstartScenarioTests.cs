using AnalyticsHub.Cost;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Samples.Quickstart;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Simulation.Tests.Quickstart;

public class QuickstartScenarioTests
{
    /// <summary>A hub on a fake clock that has taken the whole quickstart replay.</summary>
    private static async Task<(ServiceProvider Provider, IAnalyticsHub Hub, global::AnalyticsHub.Simulation.Traffic.TrafficSimulation Scenario, int Replayed)> ReplayedAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAnalyticsHub();
        var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var scenario = QuickstartScenario.Create(clock);
        var replayed = await QuickstartScenario.ReplayAsync(hub, scenario);
        await hub.FlushAsync();
        return (provider, hub, scenario, replayed);
    }

    [Fact]
    public async Task Replay_HubFindsTheDeployIncident_RootedAtTheInjectedDeploy()
    {
        var (provider, hub, scenario, _) = await ReplayedAsync();
        await using var _ = provider;

        var found = await Report.FoundIncidentsAsync(hub, scenario);

        var truth = Assert.Single(scenario.GroundTruth.Incidents);
        Assert.NotNull(truth.Root?.EventId);
        var incident = Assert.Single(found, c => c.Events.Any(e => e.EventId == truth.Root!.EventId));
        Assert.Equal(truth.Root!.EventId, incident.Events.Single(e => e.Role == global::AnalyticsHub.Correlation.EventRole.RootCause).EventId);
        Assert.True(incident.TimeWindow.Start < truth.End && truth.Start <= incident.TimeWindow.End);
        Assert.Contains(incident.Events, e => e.SourceModule == SourceModule.LlmObservatory || e.SourceModule == SourceModule.LlmAnalyticsHub);
        var report = new System.Text.StringBuilder();
        Report.Incidents(report, found, scenario.GroundTruth);
        Assert.Contains("strength " + incident.Strength.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ReportedPercentiles_EqualAnExactSortOfTheGeneratedLatencies()
    {
        var (provider, hub, scenario, replayed) = await ReplayedAsync();
        await using var _ = provider;

        // The raw values, straight from the generator (each distinct event once, as the store keeps them).
        var latencies = scenario.Generate()
            .DistinctBy(e => e.EventId)
            .Select(e => e.Payload)
            .OfType<LatencyMetrics>()
            .GroupBy(p => p.ModelId)
            .ToDictionary(g => g.Key, g => g.Select(p => p.TotalLatencyMs).Order().ToArray(), StringComparer.Ordinal);

        var result = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = "llm_latency",
            TimeRange = new TimeRange(scenario.Start, scenario.End.AddTicks(1)),
            Aggregations =
            [
                new Aggregation { Function = AggregationFunction.Count, Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(50), Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(95), Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(99), Fields = ["latency_ms"] },
            ],
            GroupBy = ["model_id"],
        });

        Assert.True(replayed > 1_000);
        AssertIncidentAnomalyReported(await Report.AnomalyEpisodesAsync(hub), scenario.GroundTruth);
        Assert.Equal(0, hub.Statistics.Invalid);
        var series = result.Result!.Series;
        Assert.Equal(latencies.Count, series.Count);
        foreach (var s in series)
        {
            var sorted = latencies[s.Tags["model_id"]];
            var values = s.Points[0].Values;
            Assert.Equal(sorted.Length, Value(values, "latency_ms_count"));
            Assert.Equal(R7(sorted, 0.50), Value(values, "latency_ms_p50"));
            Assert.Equal(R7(sorted, 0.95), Value(values, "latency_ms_p95"));
            Assert.Equal(R7(sorted, 0.99), Value(values, "latency_ms_p99"));
        }
    }

    [Fact]
    public async Task Replay_HubPricesEveryRequestOnce_AndTheIncidentExceedsTheBudget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var scenario = QuickstartScenario.Create(clock);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAnalyticsHub(o => QuickstartScenario.ConfigureCost(o.Cost, scenario));
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await QuickstartScenario.ReplayAsync(hub, scenario);
        await hub.FlushAsync();

        var generated = scenario.Generate().DistinctBy(e => e.EventId).ToList();
        var usages = generated.Count(e => e.Payload is TokenUsageMetrics);
        var producerCost = generated.Select(e => e.Payload).OfType<TokenCostEvent>().Sum(p => p.TotalCostUsd);
        var costs = provider.GetRequiredService<ICostMonitor>();
        Assert.Equal(usages, costs.Statistics.PricedRequests);
        Assert.Equal(0, costs.Statistics.UnpricedRequests);
        // The hub's table (plus the sample's chargeback row) has the producer's prices: the same money, counted once.
        Assert.Equal(producerCost, costs.Statistics.PricedCostUsd, 1e-6 * producerCost);
        // Each call once: the hub's price, plus the producer's for calls whose usage event never arrived (the
        // simulator loses some deliveries), matched by request id and token counts.
        var usageKeys = generated.Select(e => e.Payload).OfType<TokenUsageMetrics>()
            .GroupBy(p => (p.RequestId, p.PromptTokens, p.CompletionTokens)).ToDictionary(g => g.Key, g => g.Count());
        var producerOnly = generated.Select(e => e.Payload).OfType<TokenCostEvent>()
            .GroupBy(p => (p.RequestId, p.PromptTokens, p.CompletionTokens))
            .Sum(g => Math.Max(0, g.Count() - usageKeys.GetValueOrDefault(g.Key)) * g.Average(p => p.TotalCostUsd));
        var budget = Assert.Single(costs.GetBudgetStates());
        Assert.Equal(costs.Statistics.PricedCostUsd + producerOnly, budget.SpendUsd, 1e-9 * budget.SpendUsd);
        Assert.Equal([50.0, 80, 95, 100], budget.ThresholdsCrossed);

        var alerts = await hub.QueryEventsAsync(new AnalyticsHub.Storage.EventQuery
        {
            Subtype = "budget_alert",
            SourceModules = [SourceModule.LlmAnalyticsHub],
            PerPage = 100,
        });
        var ours = alerts.Events.Where(e => ((BudgetAlertEvent)e.Payload).BudgetId == QuickstartScenario.BudgetId).ToList();
        var forecasts = ours.Count(e => e.Common.Tags.GetValueOrDefault("forecast") == "true");
        Assert.InRange(forecasts, 0, 1); // the period-end projection may warn once, once there is enough history
        Assert.Equal(4, ours.Count - forecasts);
        var exceeded = Assert.Single(alerts.Events, e => ((BudgetAlertEvent)e.Payload).AlertType == BudgetAlertType.Exceeded);
        var incident = Assert.Single(scenario.GroundTruth.Incidents);
        Assert.InRange(exceeded.Timestamp, incident.Start, scenario.End);
    }

    private static void AssertIncidentAnomalyReported(IReadOnlyList<AnomalyEpisodeRow> episodes, AnalyticsHub.Simulation.Traffic.GroundTruth truth)
    {
        // The deploy regression slows its model down: the hub must report a latency spike on that model's series,
        // opening inside the truth's latency window and lasting to its end.
        var incident = Assert.Single(truth.Incidents);
        var latency = incident.AffectedSeries.Single(s => s.Measurement == "latency");
        var window = Assert.Single(latency.Windows);
        var found = episodes.Where(e => e.Metric == "mean(llm_latency.latency_ms)" && e.Tags["model_id"] == latency.Tags["model_id"]
            && e.Start >= window.Start.AddMinutes(-1) && e.Start <= window.End).ToList();
        Assert.NotEmpty(found);
        Assert.Equal(AnomalyType.Spike, found[0].Type);
        var lastEnd = found.Max(e => e.End ?? DateTimeOffset.MaxValue);
        Assert.True(lastEnd >= window.End.AddMinutes(-5), $"the latency episodes end at {lastEnd}, before the truth window's end {window.End}");
        Assert.All(found, e => Assert.InRange(e.PeakScore, AnomalyDetectorOptions.DefaultThreshold, 1.0));
    }

    /// <summary>Decision 10's rule, in the form the engine documents: x[floor h](1 - d) + x[ceil h] d.</summary>
    private static double R7(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        var d = h - lo;
        return (sorted[lo] * (1 - d)) + (sorted[hi] * d);
    }

    private static double Value(IReadOnlyDictionary<string, FieldValue?> values, string name) =>
        values[name] is { } v && v.TryGetDouble(out var number) ? number : double.NaN;
}
