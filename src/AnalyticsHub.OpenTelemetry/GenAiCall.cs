using System.Diagnostics;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// What the bridge copies out of one finished GenAI span on the caller's thread: plain fields and references to strings
/// the emitter already made, so the copy allocates nothing. Pooled (<see cref="GenAiCallPool"/>): the pump returns it.
/// </summary>
internal sealed class GenAiCall
{
    /// <summary>No count was on the span.</summary>
    public const long Absent = -1;

    public string? Source;
    public string? Operation;
    public string? Provider;
    public string? RequestModel;
    public string? ResponseModel;
    public string? ResponseId;
    public string? ErrorType;
    public string? StatusDescription;
    public bool Failed;
    public ActivityTraceId TraceId;
    public ActivitySpanId SpanId;
    public long StartTicks;
    public long DurationTicks;
    public double TimeToFirstChunkSeconds = double.NaN;
    public long InputTokens = Absent;
    public long OutputTokens = Absent;
    public long CacheReadTokens = Absent;
    public long CacheWriteTokens = Absent;
    public long ReasoningTokens = Absent;
    public string? InputMessages;
    public string? OutputMessages;
    public string? SystemInstructions;

    /// <summary>Set on a flush marker (never pooled): completed once everything queued before it reached the hub.</summary>
    public TaskCompletionSource? FlushCompletion;

    /// <summary>Whether the span carried input or output token counts.</summary>
    public bool HasUsage => InputTokens != Absent || OutputTokens != Absent;

    /// <summary>When the call ended (UTC).</summary>
    public DateTimeOffset End => new(StartTicks + DurationTicks, TimeSpan.Zero);

    /// <summary>Clears every field so the record can be reused.</summary>
    public void Reset()
    {
        Source = Operation = Provider = RequestModel = ResponseModel = ResponseId = ErrorType = StatusDescription = null;
        InputMessages = OutputMessages = SystemInstructions = null;
        Failed = false;
        TraceId = default;
        SpanId = default;
        StartTicks = DurationTicks = 0;
        TimeToFirstChunkSeconds = double.NaN;
        InputTokens = OutputTokens = CacheReadTokens = CacheWriteTokens = ReasoningTokens = Absent;
    }
}
