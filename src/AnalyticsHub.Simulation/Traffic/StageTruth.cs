namespace AnalyticsHub.Simulation.Traffic;

/// <summary>One step of an incident's story and the first event that shows it.</summary>
public sealed record StageTruth
{
    /// <summary>The step's name, e.g. <c>latency_regression</c>.</summary>
    public required string Name { get; init; }

    /// <summary>When the step was planned to begin (true time).</summary>
    public required DateTimeOffset PlannedOnset { get; init; }

    /// <summary>The first emitted event of the step, when one was emitted.</summary>
    public Guid? OnsetEventId { get; init; }

    /// <summary>That event's timestamp as emitted.</summary>
    public DateTimeOffset? OnsetTimestamp { get; init; }
}
