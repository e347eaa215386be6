namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A causal link between two stages of an incident, like the spec's <c>CausalLink</c>.</summary>
public sealed record CausalLinkTruth
{
    /// <summary>The causing stage's name.</summary>
    public required string FromStage { get; init; }

    /// <summary>The caused stage's name.</summary>
    public required string ToStage { get; init; }

    /// <summary>The causing stage's onset event.</summary>
    public Guid? FromEventId { get; init; }

    /// <summary>The caused stage's onset event.</summary>
    public Guid? ToEventId { get; init; }

    /// <summary><c>direct_cause</c>, <c>indirect_cause</c>, <c>correlation</c> or <c>amplification</c>.</summary>
    public required string Relationship { get; init; }

    /// <summary>The planned lag between the stages' onsets, in seconds (after jitter).</summary>
    public required double LagSeconds { get; init; }

    /// <summary>The lag between the two onset events' timestamps, in seconds, when both were emitted.</summary>
    public double? ObservedLagSeconds { get; init; }
}
