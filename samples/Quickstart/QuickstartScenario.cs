using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Samples.Quickstart;

/// <summary>
/// The tour's traffic: two and a half hours, a few models, one deploy regression ninety minutes in (the anomaly
/// detectors score a series from its 65th one-minute window on, so the incident comes after their warm-up).
/// </summary>
public static class QuickstartScenario
{
    /// <summary>The scenario, ending at the clock's now.</summary>
    public static TrafficSimulation Create(TimeProvider clock)
    {
        var config = ScenarioConfig.Easy;
        config.Name = "two and a half hours, one deploy regression";
        config.DurationHours = 2.5;
        config.Incidents = [new IncidentConfig { Template = IncidentTemplate.DeployRegression, StartMinutes = 90, DurationMinutes = 30 }];
        return new TrafficSimulation(config, clock);
    }

    /// <summary>The id of the tour's budget.</summary>
    public const string BudgetId = "production-llm-spend";

    /// <summary>
    /// Prices and a budget for the tour: the shipped price table plus the self-hosted Llama's internal chargeback
    /// rate (a host's own row), and a daily budget sized at 105% of an hour at the run rate of the twenty minutes
    /// before the deploy — so the alerts the report shows are the incident's.
    /// </summary>
    public static void ConfigureCost(CostOptions cost, TrafficSimulation scenario)
    {
        cost.PriceTableJson = """
            { "schema_version": 1, "version": "quickstart-chargeback-1",
              "providers": [ { "id": "self-hosted", "source": "internal GPU chargeback rate", "read_on": "2026-01-01",
                "models": [ { "id": "llama-3.1-70b", "effective_from": "2025-01-01", "prices": { "input": 0.60, "output": 0.80 } } ] } ] }
            """;
        // The day budget is the whole replay at the spend rate before the incident, plus 5%: only the incident crosses 100%.
        var baselineEnd = scenario.GroundTruth.Incidents.Count > 0 ? scenario.GroundTruth.Incidents.Min(i => i.Start) : scenario.End;
        var baseline = scenario.Generate()
            .Where(e => e.Timestamp < baselineEnd && e.Payload is TokenCostEvent)
            .DistinctBy(e => e.EventId)
            .Sum(e => ((TokenCostEvent)e.Payload).TotalCostUsd);
        var scale = (scenario.End - scenario.Start) / (baselineEnd - scenario.Start);
        cost.Budgets.Add(new BudgetDefinition
        {
            Id = BudgetId,
            Name = "production LLM spend (demo day budget)",
            LimitUsd = Math.Round(baseline * scale * 1.05, 2),
            Period = BudgetPeriod.Day,
        });
    }

    /// <summary>Ingests the whole scenario in batches and returns how many events were offered.</summary>
    public static async Task<int> ReplayAsync(IAnalyticsHub hub, TrafficSimulation scenario, int batchSize = 1_000)
    {
        var batch = new List<AnalyticsEvent>(batchSize);
        var total = 0;
        foreach (var evt in scenario.Generate())
        {
            batch.Add(evt);
            if (batch.Count == batchSize)
            {
                await hub.IngestAsync(batch.ToArray());
                total += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await hub.IngestAsync(batch.ToArray());
            total += batch.Count;
        }

        return total;
    }
}
