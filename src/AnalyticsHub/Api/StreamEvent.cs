using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>One frame of a live stream: data, heartbeat, error or complete, numbered by the store-wide sequence.</summary>
/// <typeparam name="T">The data type.</typeparam>
/// <remarks>
/// Data frames carry the stored item and its sequence. Heartbeat, error and complete frames carry
/// <c>"data":null</c> (decision 22) and the sequence of the last frame delivered before them, so resuming
/// after any frame's sequence continues where the subscriber stood.
/// </remarks>
public sealed record StreamEvent<T>
{
    /// <summary>For data frames the item's own id; otherwise a new id per frame.</summary>
    public required Guid EventId { get; init; }

    /// <summary>The kind of frame.</summary>
    public required StreamEventType EventType { get; init; }

    /// <summary>The item of a data frame; written as <c>null</c> on other frames.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public T? Data { get; init; }

    /// <summary>The store-wide sequence number (see remarks).</summary>
    public required ulong Sequence { get; init; }

    /// <summary>When the frame was made (clock time; for data frames, when the item was stored).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>For error frames, what went wrong (e.g. <c>stream_gap</c>); left out of the JSON otherwise.</summary>
    public ApiError? Error { get; init; }
}
