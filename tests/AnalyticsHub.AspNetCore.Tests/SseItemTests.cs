using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.AspNetCore;
using AnalyticsHub.Events;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary>A stream frame as a server-sent event, written by .NET's own SSE formatter.</summary>
public class SseItemTests
{
    [Theory]
    [InlineData(StreamEventType.Data, "data")]
    [InlineData(StreamEventType.Heartbeat, "heartbeat")]
    [InlineData(StreamEventType.Error, "error")]
    [InlineData(StreamEventType.Complete, "complete")]
    public async Task Frame_IsOneEventNamedByItsType_WithTheSequenceAsId(StreamEventType type, string name)
    {
        var frame = new StreamEvent<AnalyticsEvent>
        {
            EventId = Guid.Parse("6f0c1e7a-4a57-4a53-9f5c-2b1c7c0e9d11"),
            EventType = type,
            Sequence = 1042,
            Timestamp = new DateTimeOffset(2026, 11, 27, 12, 0, 5, TimeSpan.Zero),
        };

        var text = await WriteAsync(StreamEndpoints.ToSseItem(frame));

        // One event: its field lines, then the blank line that dispatches it.
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var fields = text[..^2].Split('\n').Select(l => l.Split(": ", 2)).ToList();
        Assert.All(fields, f => Assert.Equal(2, f.Length));
        Assert.Equal(["data", "event", "id"], fields.Select(f => f[0]).Order(StringComparer.Ordinal));
        Assert.Equal(name, fields.Single(f => f[0] == "event")[1]);
        Assert.Equal("1042", fields.Single(f => f[0] == "id")[1]);
        var data = fields.Single(f => f[0] == "data")[1];
        Assert.Equal(JsonSerializer.Serialize(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent), data);
        using var json = JsonDocument.Parse(data);
        Assert.Equal(1042ul, json.RootElement.GetProperty("sequence").GetUInt64());
    }

    private static async Task<string> WriteAsync(SseItem<string> item)
    {
        using var stream = new MemoryStream();
        await SseFormatter.WriteAsync(ToAsync(item), stream, static (i, buffer) => buffer.Write(Encoding.UTF8.GetBytes(i.Data)));
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async IAsyncEnumerable<SseItem<string>> ToAsync(SseItem<string> item)
    {
        await Task.Yield();
        yield return item;
    }
}
