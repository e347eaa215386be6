namespace AnalyticsHub.Events;

/// <summary>
/// Builds events for one producer: fills in the module, environment, default tags, a new event id,
/// the timestamp from a <see cref="TimeProvider"/>, and the event type that matches the payload.
/// </summary>
/// <example>
/// <code>
/// var events = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production");
/// var latency = events.Create(new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r1", TotalLatencyMs = 812.5 });
/// </code>
/// </example>
/// <remarks>Thread-safe: it holds no mutable state.</remarks>
public sealed class AnalyticsEventFactory
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a factory for events of <paramref name="sourceModule"/> in <paramref name="environment"/>.</summary>
    /// <param name="sourceModule">The producing module.</param>
    /// <param name="environment">The deployment environment, e.g. <c>production</c>.</param>
    /// <param name="timeProvider">Where timestamps come from; <see cref="TimeProvider.System"/> by default.</param>
    public AnalyticsEventFactory(SourceModule sourceModule, string environment, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        SourceModule = sourceModule;
        Environment = environment;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The module written into every event.</summary>
    public SourceModule SourceModule { get; }

    /// <summary>The environment written into every event.</summary>
    public string Environment { get; }

    /// <summary>Tags added to every event; a tag given to <see cref="Create"/> wins over a default of the same key.</summary>
    public IReadOnlyDictionary<string, string> DefaultTags { get; init; } = CommonEventFields.EmptyTags;

    /// <summary>Builds an event around <paramref name="payload"/>.</summary>
    /// <param name="payload">The module-specific payload.</param>
    /// <param name="severity">How serious the event is; <see cref="Severity.Info"/> by default.</param>
    /// <param name="eventType">
    /// The event type; by default the one matching the payload's family. Required for a
    /// <see cref="CustomPayload"/>, which has no family.
    /// </param>
    /// <param name="tags">Tags of this event, merged over <see cref="DefaultTags"/>.</param>
    /// <param name="correlationId">Links the event to others of the same request or incident.</param>
    /// <param name="parentEventId">The event that caused this one.</param>
    /// <param name="timestamp">When it happened; now, from the time provider, by default.</param>
    /// <exception cref="ArgumentException">A custom payload without an event type.</exception>
    public AnalyticsEvent Create(
        EventPayload payload,
        Severity severity = Severity.Info,
        EventType? eventType = null,
        IReadOnlyDictionary<string, string>? tags = null,
        Guid? correlationId = null,
        Guid? parentEventId = null,
        DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = Guid.NewGuid(),
                Timestamp = timestamp ?? _timeProvider.GetUtcNow(),
                SourceModule = SourceModule,
                EventType = eventType ?? DefaultEventType(payload),
                CorrelationId = correlationId,
                ParentEventId = parentEventId,
                Severity = severity,
                Environment = Environment,
                Tags = MergeTags(tags),
            },
            Payload = payload,
        };
    }

    /// <summary>The event type that matches a payload's family (telemetry → telemetry, ...).</summary>
    /// <exception cref="ArgumentException">A custom payload, which matches every event type.</exception>
    public static EventType DefaultEventType(EventPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.PayloadType switch
        {
            PayloadType.Telemetry => EventType.Telemetry,
            PayloadType.Security => EventType.Security,
            PayloadType.Cost => EventType.Cost,
            PayloadType.Governance => EventType.Governance,
            _ => throw new ArgumentException("A custom payload needs an explicit event type.", nameof(payload)),
        };
    }

    private IReadOnlyDictionary<string, string> MergeTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return DefaultTags;
        }

        if (DefaultTags.Count == 0)
        {
            return new Dictionary<string, string>(tags, StringComparer.Ordinal);
        }

        var merged = new Dictionary<string, string>(DefaultTags, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        return merged;
    }
}
