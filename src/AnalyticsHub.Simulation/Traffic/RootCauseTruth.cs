namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An incident's root cause: a change event, or an external cause named by provider and region.</summary>
public sealed record RootCauseTruth
{
    /// <summary><c>event</c> (a change event of spec decision 17) or <c>external</c> (provider and region).</summary>
    public required string Kind { get; init; }

    /// <summary>The root event's id, for kind <c>event</c>.</summary>
    public Guid? EventId { get; init; }

    /// <summary>The root event's timestamp as emitted (including its module's clock skew).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The root event's module wire name.</summary>
    public string? SourceModule { get; init; }

    /// <summary>The change: an audit-trail action (<c>deploy</c>, ...) or <c>auth</c> for a security auth event.</summary>
    public string? Action { get; init; }

    /// <summary>The failing provider, for kind <c>external</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>The failing region, for kind <c>external</c>.</summary>
    public string? Region { get; init; }

    /// <summary>How many seconds after its timestamp the root event was delivered (out of order when above 0).</summary>
    public double EmittedLateSeconds { get; init; }

    /// <summary>Whether the root event is in the stream (a gap or silent module can swallow it).</summary>
    public bool Emitted { get; init; }
}
