using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Samples.Quickstart;

/// <summary>The tour's traffic: one hour, a few models, one deploy regression twenty minutes in.</summary>
public static class QuickstartScenario
{
    /// <summary>The scenario, ending at the clock's now.</summary>
    public static TrafficSimulation Create(TimeProvider clock)
    {
        var config = ScenarioConfig.Easy;
        config.Name = "one hour, one deploy regression";
        config.DurationHours = 1;
        config.Incidents = [new IncidentConfig { Template = IncidentTemplate.DeployRegression, StartMinutes = 20, DurationMinutes = 30 }];
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
