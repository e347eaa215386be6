namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// What really happened in a simulated scenario: the incidents with their roots, causal links,
/// member events, affected series and impact; the distractors, decoys and benign patterns; what the
/// delivery knobs did. Engines never see it; scorers compare their findings with it.
/// </summary>
/// <remarks>Written and read as JSON by <see cref="GroundTruthJson"/>; the format is documented in docs/simulation.md.</remarks>
public sealed record GroundTruth
{
    /// <summary>The scenario's name.</summary>
    public required string Scenario { get; init; }

    /// <summary>The seed that produced it.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The first instant of the timeline.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The last instant of the timeline; no event's true time lies after it.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The environment of every event.</summary>
    public required string Environment { get; init; }

    /// <summary>The injected incidents, negative controls included.</summary>
    public required IReadOnlyList<IncidentTruth> Incidents { get; init; }

    /// <summary>Unrelated anomalies: real deviations with no causal story.</summary>
    public required IReadOnlyList<DistractorTruth> Distractors { get; init; }

    /// <summary>Change events that look like causes but caused nothing.</summary>
    public required IReadOnlyList<DecoyTruth> Decoys { get; init; }

    /// <summary>Recurring benign patterns and how their events are tagged.</summary>
    public required IReadOnlyList<BenignPatternTruth> BenignPatterns { get; init; }

    /// <summary>What the delivery knobs did to the stream.</summary>
    public required DeliveryTruth Delivery { get; init; }

    /// <summary>The models of the world with their prices.</summary>
    public required IReadOnlyList<ModelTruth> Models { get; init; }
}
