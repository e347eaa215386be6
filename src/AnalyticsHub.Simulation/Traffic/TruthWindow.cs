namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An inclusive time window.</summary>
/// <param name="Start">The first instant.</param>
/// <param name="End">The last instant.</param>
public sealed record TruthWindow(DateTimeOffset Start, DateTimeOffset End);
