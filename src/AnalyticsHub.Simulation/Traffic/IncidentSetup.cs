namespace AnalyticsHub.Simulation.Traffic;

/// <summary>What every incident is built from.</summary>
internal sealed record IncidentSetup(
    int Index,
    long Start,
    long End,
    double Effect,
    double Jitter,
    SimRandom Rng,
    IncidentTruthBuilder Truth,
    World World,
    TrafficModel Traffic,
    long LateRoot,
    long EndOfScenario);
