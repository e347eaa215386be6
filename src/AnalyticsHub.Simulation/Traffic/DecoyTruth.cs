namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A change event that caused nothing, placed shortly before a real cause.</summary>
public sealed record DecoyTruth
{
    /// <summary>The event's id.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Its timestamp as emitted.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The audit action, e.g. <c>deploy</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The resource changed.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The incident it precedes.</summary>
    public required string Precedes { get; init; }

    /// <summary>Whether it is in the stream.</summary>
    public required bool Emitted { get; init; }
}
