namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// What the scorer needs to know about a scenario's events beyond the ground truth: what each derived event stands for
/// (its evidence, else its parent) and the distractor events.
/// </summary>
public sealed record IncidentEventLabels
{
    private static readonly Dictionary<Guid, Guid> NoParents = [];
    private static readonly Dictionary<Guid, IReadOnlyList<Guid>> NoEvidence = [];
    private static readonly HashSet<Guid> NoEvents = [];

    /// <summary>Labels with no derived events and no distractor events.</summary>
    public static IncidentEventLabels Empty { get; } = new();

    /// <summary>Each derived event's id (<c>source_module</c> <c>llm-analytics-hub</c> with a parent) mapped to its <c>parent_event_id</c>.</summary>
    public IReadOnlyDictionary<Guid, Guid> DerivedParents { get; init; } = NoParents;

    /// <summary>
    /// Derived events built from many events (an anomaly episode) mapped to the producer events they stand for: the
    /// window aggregates and alerts of the episode's series and window; empty when the series is request-level.
    /// </summary>
    /// <remarks>An id here is expanded to its evidence in groups; it is followed through <see cref="DerivedParents"/> only when naming a root.</remarks>
    public IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> DerivedEvidence { get; init; } = NoEvidence;

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

    /// <summary>Adds the producer events <paramref name="id"/> stands for in a group to <paramref name="into"/>.</summary>
    /// <param name="id">An event id from a predicted group or a true member list.</param>
    /// <param name="into">The set to add to.</param>
    /// <remarks>
    /// A derived event with evidence adds its evidence (nothing when it has none), and so does one whose chain of parents
    /// reaches such an event first; any other id adds its <see cref="Canonical"/> id, which is itself for a producer event.
    /// </remarks>
    public void AddMembers(Guid id, ISet<Guid> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (DerivedEvidence.TryGetValue(id, out var evidence))
        {
            foreach (var e in evidence)
            {
                into.Add(e);
            }

            return;
        }

        // Follow the parents; the first derived event with evidence on the way decides (a closing event stands for its episode).
        for (var hops = 0; hops < 16 && DerivedParents.TryGetValue(id, out var parent); hops++)
        {
            id = parent;
            if (DerivedEvidence.TryGetValue(id, out evidence))
            {
                foreach (var e in evidence)
                {
                    into.Add(e);
                }

                return;
            }
        }

        into.Add(id);
    }
}
