namespace AnalyticsHub.Events;

/// <summary>The fields every event carries, flattened into the top level of its JSON.</summary>
public sealed record CommonEventFields
{
    /// <summary>The event's identity; events are stored idempotently by it.</summary>
    /// <remarks>
    /// Required, so that no instance pays for a random id it then overwrites; <see cref="AnalyticsEventFactory"/>
    /// and the JSON reader (for input without <c>event_id</c>) generate a random v4 UUID.
    /// </remarks>
    public required Guid EventId { get; init; }

    /// <summary>When the event happened (event time), always in UTC: other offsets are converted on init.</summary>
    /// <remarks>.NET keeps 100 ns ticks; finer digits on the wire are truncated when read.</remarks>
    public required DateTimeOffset Timestamp
    {
        get;
        init => field = value.ToUniversalTime();
    }

    /// <summary>The module that produced the event.</summary>
    public required SourceModule SourceModule { get; init; }

    /// <summary>The kind of the event; must agree with the payload (see <see cref="EventType"/>).</summary>
    public required EventType EventType { get; init; }

    /// <summary>Links events of one request or incident across modules.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>The event that caused this one, e.g. the trigger of a derived event.</summary>
    public Guid? ParentEventId { get; init; }

    /// <summary>The schema version, <c>1.x.y</c>; <see cref="SchemaVersion.Current"/> by default.</summary>
    public string SchemaVersion { get; init; } = Events.SchemaVersion.Current;

    /// <summary>How serious the event is.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The deployment environment, free text such as <c>production</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>Free-form string tags; empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = EmptyTags;

    internal static IReadOnlyDictionary<string, string> EmptyTags { get; } =
        System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
}
