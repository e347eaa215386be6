using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Api;

public sealed class SseMessageTests
{
    [Fact]
    public void ToString_AllFields_InSpecOrderWithBlankLine()
    {
        Assert.Equal("event: data\nid: 7\nretry: 3000\ndata: {}\n\n", new SseMessage("{}", "data", "7", 3000).ToString());
    }

    [Theory]
    [InlineData("a\nb", "data: a\ndata: b\n\n")]
    [InlineData("a\r\nb\rc", "data: a\ndata: b\ndata: c\n\n")]
    [InlineData("a\n", "data: a\ndata: \n\n")]
    [InlineData("", "data: \n\n")]
    public void ToString_MultiLineData_OneDataLinePerLine(string data, string expected)
    {
        Assert.Equal(expected, new SseMessage(data).ToString());
    }

    [Fact]
    public void ToString_LineBreakInId_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new SseMessage("x", Id: "1\n2").ToString());
    }

    [Fact]
    public void Format_Heartbeat_EventNameAndSequenceId()
    {
        var frame = new StreamEvent<AnalyticsEvent>
        {
            EventId = Guid.Empty,
            EventType = StreamEventType.Heartbeat,
            Sequence = 42,
            Timestamp = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
        };

        var message = SseFormatter.Format(frame, retry: 5000);

        Assert.Equal("heartbeat", message.Event);
        Assert.Equal("42", message.Id);
        Assert.Equal(
            "event: heartbeat\nid: 42\nretry: 5000\ndata: {\"event_id\":\"00000000-0000-0000-0000-000000000000\",\"event_type\":\"heartbeat\",\"data\":null,\"sequence\":42,\"timestamp\":\"2026-11-27T12:00:00Z\"}\n\n",
            message.ToString());
    }
}
