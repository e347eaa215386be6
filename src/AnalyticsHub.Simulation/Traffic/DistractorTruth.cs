namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An unrelated anomaly: a real deviation without a root cause or a link to any incident.</summary>
public sealed record DistractorTruth
{
    /// <summary><c>latency_blip</c>, <c>auth_failure_burst</c> or <c>cost_blip</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>When it begins.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When it ends.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The series it moves.</summary>
    public required IReadOnlyList<AffectedSeries> AffectedSeries { get; init; }
}
