using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>One engine's output on one scenario, with what the scorer needs to judge it.</summary>
public sealed record IncidentScenarioRun
{
    /// <summary>The scenario's ground truth.</summary>
    public required GroundTruth Truth { get; init; }

    /// <summary>Derived events' parents and the distractor events.</summary>
    public IncidentEventLabels Labels { get; init; } = IncidentEventLabels.Empty;

    /// <summary>The engine's incidents, in its order.</summary>
    public required IReadOnlyList<PredictedIncident> Predictions { get; init; }

    /// <summary>How many events the engine observed.</summary>
    public long EventsObserved { get; init; }

    /// <summary>The engine's wall time in <see cref="IIncidentEngine.Observe"/> and <see cref="IIncidentEngine.Finish"/>.</summary>
    public TimeSpan EngineTime { get; init; }
}
