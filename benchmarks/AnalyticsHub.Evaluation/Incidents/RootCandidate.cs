namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>A root-cause candidate: an event (a change event of spec decision 17), or an external cause named by provider and region.</summary>
public sealed record RootCandidate
{
    private RootCandidate()
    {
    }

    /// <summary>The event named as the cause; <see langword="null"/> for an external cause.</summary>
    public Guid? EventId { get; private init; }

    /// <summary>The failing provider of an external cause, e.g. <c>openai</c>.</summary>
    public string? Provider { get; private init; }

    /// <summary>The failing region of an external cause, e.g. <c>us-east</c>.</summary>
    public string? Region { get; private init; }

    /// <summary>The engine's confidence in it, for the report; <see langword="null"/> when the engine gives none.</summary>
    public double? Confidence { get; init; }

    /// <summary>Why the engine ranks it where it does (its evidence), for the report; <see langword="null"/> when the engine says nothing.</summary>
    public string? Why { get; init; }

    /// <summary>Names an event as the cause.</summary>
    /// <param name="eventId">The event's id (a derived event's id counts as its parent's).</param>
    /// <returns>The candidate.</returns>
    public static RootCandidate ForEvent(Guid eventId) => new() { EventId = eventId };

    /// <summary>Names an external cause.</summary>
    /// <param name="provider">The provider; compared case-insensitively.</param>
    /// <param name="region">The region; compared case-insensitively.</param>
    /// <returns>The candidate.</returns>
    public static RootCandidate External(string provider, string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        return new() { Provider = provider, Region = region };
    }
}
