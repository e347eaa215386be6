namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>One engine's result over a benchmark's scenarios.</summary>
/// <param name="Name">The engine's registered name.</param>
/// <param name="Score">Its score.</param>
public sealed record IncidentEngineReport(string Name, IncidentScore Score);
