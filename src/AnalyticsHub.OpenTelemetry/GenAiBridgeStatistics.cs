namespace AnalyticsHub.OpenTelemetry;

/// <summary>The GenAI bridge's accounting, from the span to the hub (exact counters, read with <see cref="GenAiTelemetryBridge.Statistics"/>).</summary>
/// <remarks>
/// Every span of a recognised operation is <see cref="Observed"/> and then either dropped (<see cref="Dropped"/>) or
/// mapped; a mapped call yields one to three events, each of which the hub accepts, rejects, refuses, or that could not
/// be offered (<see cref="EventsNotOffered"/>).
/// </remarks>
public sealed record GenAiBridgeStatistics
{
    /// <summary>Finished chat, completion and embedding spans copied off the caller's thread.</summary>
    public required long Observed { get; init; }

    /// <summary>Spans of the listened sources that are no such call (tool calls, agents, ...), skipped.</summary>
    public required long Ignored { get; init; }

    /// <summary>Calls dropped because the bridge's queue was full.</summary>
    public required long Dropped { get; init; }

    /// <summary>Spans whose copy threw (caught on the caller's thread, never rethrown).</summary>
    public required long CopyFailures { get; init; }

    /// <summary>Calls turned into events.</summary>
    public required long Mapped { get; init; }

    /// <summary>Calls whose mapping threw (logged, skipped).</summary>
    public required long MapFailures { get; init; }

    /// <summary>Events offered to the hub: latency, token usage, content and error-rate events.</summary>
    public required long EventsOffered { get; init; }

    /// <summary>Events the hub accepted.</summary>
    public required long EventsAccepted { get; init; }

    /// <summary>Events the hub rejected as invalid (the first problem is logged).</summary>
    public required long EventsRejected { get; init; }

    /// <summary>Events the hub refused or dropped under backpressure.</summary>
    public required long EventsRefused { get; init; }

    /// <summary>Events that could not be offered: the hub was not started or its ingest threw (logged).</summary>
    public required long EventsNotOffered { get; init; }

    /// <summary>Calls left out of an <c>error_rate</c> window that had already been emitted.</summary>
    public required long LateForErrorRate { get; init; }

    /// <summary>Calls waiting in the queue right now.</summary>
    public required int QueueDepth { get; init; }
}
