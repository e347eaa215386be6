namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An emitted event that belongs to an incident.</summary>
public sealed record MemberTruth
{
    /// <summary>The event's id.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Its timestamp as emitted.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Its module's wire name.</summary>
    public required string SourceModule { get; init; }

    /// <summary>Its role, as the spec's <c>EventRole</c>: <c>root_cause</c>, <c>contributor</c>, <c>effect</c> or <c>related</c>.</summary>
    public required string Role { get; init; }

    /// <summary>The stage it belongs to.</summary>
    public required string Stage { get; init; }
}
