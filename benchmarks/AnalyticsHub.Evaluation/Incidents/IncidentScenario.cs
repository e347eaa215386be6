using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>What an engine factory may know of a scenario before its stream: its config, its end and (for the oracle only) its planned truth.</summary>
public sealed record IncidentScenario
{
    /// <summary>The scenario's config (its seed, duration and world size: what a host sizes its stores by).</summary>
    public required ScenarioConfig Config { get; init; }

    /// <summary>The end of the scenario's timeline: the clock's now for an engine that runs a hub.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The truth as planned (<see cref="TrafficSimulation.PlannedGroundTruth"/>): incidents, series and windows, no members. Engines under test never read it; the <c>oracle</c> does.</summary>
    public required GroundTruth PlannedTruth { get; init; }
}
