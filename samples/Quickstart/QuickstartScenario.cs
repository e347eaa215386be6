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
