using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Api;

/// <summary>Turns stream frames into server-sent events.</summary>
public static class SseFormatter
{
    /// <summary>
    /// The frame as an SSE message: <c>event</c> = the frame type (<c>data</c>, <c>heartbeat</c>, <c>error</c>,
    /// <c>complete</c>), <c>id</c> = the sequence (so <c>Last-Event-ID</c> resumes), data = the frame's JSON.
    /// </summary>
    /// <param name="frame">The frame.</param>
    /// <param name="retry">The reconnection delay to suggest, in milliseconds; none when null.</param>
    public static SseMessage Format(StreamEvent<AnalyticsEvent> frame, uint? retry = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var json = JsonSerializer.Serialize(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent);
        return new SseMessage(json, EventName(frame.EventType), frame.Sequence.ToString(CultureInfo.InvariantCulture), retry);
    }

    private static string EventName(StreamEventType type) => type switch
    {
        StreamEventType.Data => "data",
        StreamEventType.Heartbeat => "heartbeat",
        StreamEventType.Error => "error",
        StreamEventType.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown stream frame type."),
    };
}
