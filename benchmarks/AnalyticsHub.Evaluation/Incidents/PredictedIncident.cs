using AnalyticsHub.Correlation;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>One incident as an engine reports it: its events, its correlation types, ranked root causes and its impact.</summary>
public sealed record PredictedIncident
{
    /// <summary>The ids of the events the engine groups into this incident; a derived event counts as its parent.</summary>
    public required IReadOnlyList<Guid> EventIds { get; init; }

    /// <summary>The correlation types the engine assigns; duplicates are ignored.</summary>
    public IReadOnlyList<CorrelationType> CorrelationTypes { get; init; } = [];

    /// <summary>Root-cause candidates, most likely first; empty when the engine names none.</summary>
    public IReadOnlyList<RootCandidate> RootCandidates { get; init; } = [];

    /// <summary>The engine's estimate of what the incident cost.</summary>
    public PredictedImpact Impact { get; init; } = PredictedImpact.None;
}
