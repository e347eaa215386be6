namespace AnalyticsHub.Events;

/// <summary>
/// One event of the unified schema: the common fields and a module-specific payload. Read and write
/// its JSON with <see cref="AnalyticsEventJson"/>; build one with <see cref="AnalyticsEventFactory"/>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.AnalyticsEventJsonConverter))]
public sealed record AnalyticsEvent
{
    /// <summary>The common fields (flattened into the top level of the JSON).</summary>
    public required CommonEventFields Common { get; init; }

    /// <summary>The module-specific payload (nested under <c>payload</c> in the JSON).</summary>
    public required EventPayload Payload { get; init; }

    /// <summary>Shortcut for <see cref="CommonEventFields.EventId"/>.</summary>
    public Guid EventId => Common.EventId;

    /// <summary>Shortcut for <see cref="CommonEventFields.Timestamp"/>.</summary>
    public DateTimeOffset Timestamp => Common.Timestamp;

    /// <summary>Shortcut for <see cref="CommonEventFields.SourceModule"/>.</summary>
    public SourceModule SourceModule => Common.SourceModule;

    /// <summary>Shortcut for <see cref="CommonEventFields.EventType"/>.</summary>
    public EventType EventType => Common.EventType;

    /// <summary>Shortcut for <see cref="CommonEventFields.Severity"/>.</summary>
    public Severity Severity => Common.Severity;
}
