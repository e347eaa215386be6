namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>What the scorer needs to know about a scenario's events beyond the ground truth: derived events' parents and the distractor events.</summary>
public sealed record IncidentEventLabels
{
    private static readonly Dictionary<Guid, Guid> NoParents = [];
    private static readonly HashSet<Guid> NoEvents = [];

    /// <summary>Labels with no derived events and no distractor events.</summary>
    public static IncidentEventLabels Empty { get; } = new();

    /// <summary>Each derived event's id (<c>source_module</c> <c>llm-analytics-hub</c> with a parent) mapped to its <c>parent_event_id</c>.</summary>
    public IReadOnlyDictionary<Guid, Guid> DerivedParents { get; init; } = NoParents;

    /// <summary>Events that belong to no incident but look like they might: distractor anomalies and decoy changes.</summary>
    public IReadOnlySet<Guid> DistractorEvents { get; init; } = NoEvents;

    /// <summary>Follows <see cref="DerivedParents"/> from <paramref name="id"/> to the first event that is not derived.</summary>
    /// <param name="id">An event id.</param>
    /// <returns>The id the event counts as; <paramref name="id"/> itself when it is not derived.</returns>
    /// <remarks>At most 16 hops, so a malformed cycle cannot loop.</remarks>
    public Guid Canonical(Guid id)
    {
        for (var hops = 0; hops < 16 && DerivedParents.TryGetValue(id, out var parent); hops++)
        {
            id = parent;
        }

        return id;
    }
}
