using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Simulation.Tests.Traffic;

/// <summary>Small, fast scenarios for the simulator's tests.</summary>
internal static class Scenarios
{
    /// <summary>A Wednesday afternoon, so the scenarios run at busy hours.</summary>
    public static readonly DateTimeOffset End = new(2025, 3, 12, 16, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(End);

    /// <summary>Three hours, one incident of each template at fixed times, no delivery knobs.</summary>
    public static ScenarioConfig AllTemplates(ulong seed = 7) => new()
    {
        Name = "test-all",
        Seed = seed,
        DurationHours = 3,
        NightlyBatch = false,
        World = new WorldConfig { Tenants = 4, UsersPerTenant = 20, PeakRequestsPerSecond = 0.8 },
        Incidents =
        [
            new IncidentConfig { Template = IncidentTemplate.DeployRegression, StartMinutes = 20, DurationMinutes = 25 },
            new IncidentConfig { Template = IncidentTemplate.LeakedApiKey, StartMinutes = 40, DurationMinutes = 30 },
            new IncidentConfig { Template = IncidentTemplate.PromptTemplateChange, StartMinutes = 60, DurationMinutes = 100 },
            new IncidentConfig { Template = IncidentTemplate.ProviderOutage, StartMinutes = 90, DurationMinutes = 20 },
            new IncidentConfig { Template = IncidentTemplate.PolicyMisconfiguration, StartMinutes = 120, DurationMinutes = 20 },
            new IncidentConfig { Template = IncidentTemplate.MarketingSurge, StartMinutes = 140, DurationMinutes = 30 },
        ],
        Knobs = new ScenarioKnobs { EffectSize = 1.5, Noise = 1.0 },
    };

    /// <summary>One hour with a deploy regression, for knob tests.</summary>
    public static ScenarioConfig Small(ScenarioKnobs knobs, ulong seed = 11) => new()
    {
        Name = "test-small",
        Seed = seed,
        DurationHours = 1,
        NightlyBatch = false,
        World = new WorldConfig { Tenants = 3, UsersPerTenant = 10, PeakRequestsPerSecond = 1 },
        Incidents = [new IncidentConfig { Template = IncidentTemplate.DeployRegression, StartMinutes = 20, DurationMinutes = 20 }],
        Knobs = knobs,
    };

    public static List<AnalyticsEvent> Run(ScenarioConfig config, out GroundTruth truth)
    {
        var simulation = new TrafficSimulation(config, Clock());
        var events = simulation.Generate().ToList();
        truth = simulation.GroundTruth;
        return events;
    }
}
