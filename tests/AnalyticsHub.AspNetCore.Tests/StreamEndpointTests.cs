using System.Net;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class StreamEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>An open SSE response and its parsed items.</summary>
    private sealed class SseClient : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _items;

        private SseClient(HttpResponseMessage response, Stream stream)
        {
            _response = response;
            _items = SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();
        }

        public static async Task<SseClient> OpenAsync(HubApp app, string path, string? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            var response = await app.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            return new SseClient(response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<SseItem<string>> NextAsync(string? skip = "heartbeat")
        {
            while (true)
            {
                Assert.True(await _items.MoveNextAsync().AsTask().WaitAsync(Timeout));
                if (_items.Current.EventType != skip)
                {
                    return _items.Current;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _response.Dispose();
            try
            {
                await _items.DisposeAsync();
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is gone, as intended.
            }
        }
    }

    private static JsonElement Frame(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement.Clone();

    [Fact]
    public async Task Stream_LiveEvent_ArrivesAsADataFrameWithTheSequenceAsId()
    {
        await using var app = await HubApp.StartAsync();
        await using var client = await SseClient.OpenAsync(app, "stream?source_module=llm-sentinel");

        await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(1), WireEvents.Latency(2, module: "llm-sentinel")]));
        var item = await client.NextAsync();

        Assert.Equal("data", item.EventType);
        var frame = Frame(item);
        Assert.Equal(WireEvents.Id(2).ToString(), frame.GetProperty("data").GetProperty("event_id").GetString());
        Assert.Equal(frame.GetProperty("sequence").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), item.EventId);
    }

    [Fact]
    public async Task Stream_Silent_SendsHeartbeatsWithNullData()
    {
        await using var app = await HubApp.StartAsync(http: o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(50));
        await using var client = await SseClient.OpenAsync(app, "stream");

        var opening = await client.NextAsync(skip: null);
        var item = await client.NextAsync(skip: null);

        Assert.Equal("heartbeat", opening.EventType);
        Assert.Equal(TimeSpan.FromSeconds(3), opening.ReconnectionInterval);
        Assert.Equal("heartbeat", item.EventType);
        Assert.Equal(JsonValueKind.Null, Frame(item).GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Stream_DisconnectAndResumeWithLastEventId_DeliversEveryMissedEventOnce()
    {
        await using var app = await HubApp.StartAsync();
        string lastId;
        await using (var first = await SseClient.OpenAsync(app, "stream"))
        {
            await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(1), WireEvents.Latency(2)]));
            Assert.Equal(WireEvents.Id(1).ToString(), Frame(await first.NextAsync()).GetProperty("data").GetProperty("event_id").GetString());
            var second = await first.NextAsync();
            lastId = second.EventId!;
        }

        // Events stored while no client was connected.
        await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(3), WireEvents.Latency(4)]));
        await using var resumed = await SseClient.OpenAsync(app, "stream", lastEventId: lastId);
        await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(5)]));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var item = await resumed.NextAsync();
            Assert.Equal("data", item.EventType);
            ids.Add(Frame(item).GetProperty("data").GetProperty("event_id").GetString()!);
        }

        Assert.Equal([WireEvents.Id(3).ToString(), WireEvents.Id(4).ToString(), WireEvents.Id(5).ToString()], ids);
    }

    [Fact]
    public async Task Stream_ResumeBeyondTheReplayWindow_SendsAGapFrameNamingTheMissedSequences()
    {
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { ReplayLimit = 3 });
        await using var app = await HubApp.StartAsync(services: b => b.Services.AddSingleton<IEventStore>(store));
        await app.PostEventsAsync(HubApp.Ndjson(Enumerable.Range(1, 10).Select(i => WireEvents.Latency(i))));

        await using var client = await SseClient.OpenAsync(app, "stream", lastEventId: "1");
        var item = await client.NextAsync();

        Assert.Equal("error", item.EventType);
        var error = Frame(item).GetProperty("error");
        Assert.Equal("stream_gap", error.GetProperty("code").GetString());
        Assert.Equal(2ul, error.GetProperty("details").GetProperty("context").GetProperty("missed_from_sequence").GetUInt64());
        var next = Frame(await client.NextAsync());
        Assert.Equal("data", next.GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task Stream_TooManySubscribers_Is503WithRetryAfter()
    {
        await using var app = await HubApp.StartAsync(http: o => o.MaxStreamSubscribers = 1);
        await using var first = await SseClient.OpenAsync(app, "stream");

        var response = await app.Client.GetAsync("stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("service_unavailable", (await HubApp.BodyAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    private static Events.AnalyticsEvent Incident(int id, double strength, string type) => new()
    {
        Common = new Events.CommonEventFields
        {
            EventId = WireEvents.Id(id), Timestamp = WireEvents.Base.AddMinutes(id), SourceModule = Events.SourceModule.LlmAnalyticsHub, EventType = Events.EventType.Audit,
            Severity = Events.Severity.Info, Environment = "production", Tags = new Dictionary<string, string> { ["correlation_phase"] = "open" },
        },
        Payload = new Events.CustomPayload
        {
            CustomType = "correlation",
            Data = JsonDocument.Parse($$"""{"strength":{{strength.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"correlation_type":"{{type}}","correlation_types":["{{type}}"],"events":[]}""").RootElement.Clone(),
        },
    };

    [Fact]
    public async Task CorrelationStream_SendsOnlyTheIncidentEventsOfTheFilter()
    {
        await using var app = await HubApp.StartAsync();
        await using var client = await SseClient.OpenAsync(app, "correlations/stream?min_strength=0.8&correlation_types=cost_impact,security_incident");

        await app.Hub.IngestAsync([Incident(1, 0.5, "cost_impact"), Incident(2, 0.9, "temporal"), Incident(3, 0.9, "security_incident")]);
        var item = await client.NextAsync();

        Assert.Equal("data", item.EventType);
        Assert.Equal(WireEvents.Id(3).ToString(), Frame(item).GetProperty("data").GetProperty("event_id").GetString());
    }

    [Theory]
    [InlineData("correlations/stream?min_strength=2", "min_strength")]
    [InlineData("correlations/stream?max_depth=2", "max_depth")]
    [InlineData("correlations/stream?correlation_types=loud", "correlation_types[0]")]
    [InlineData("correlations/stream?source_module=llm-sentinel", "source_module")]
    public async Task CorrelationStream_BadParameter_Is400(string path, string field)
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync(path);

        HubApp.AssertNamesField(response, body, field);
    }

    [Theory]
    [InlineData("stream?page=2", "page")]
    [InlineData("stream?last_event_id=abc", "last_event_id")]
    [InlineData("stream?min_severity=loud", "min_severity")]
    public async Task Stream_BadParameter_Is400(string path, string field)
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("error").GetProperty("field_errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task WebSocket_LiveEvent_ArrivesAsATextFrame()
    {
        await using var app = await HubApp.StartAsync();
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(new Uri("ws://localhost/api/v1/ws?event_type=telemetry"), CancellationToken.None);

        await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));
        var buffer = new byte[64 * 1024];
        JsonElement frame;
        do
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(WebSocketMessageType.Text, received.MessageType);
            frame = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)).RootElement.Clone();
        }
        while (frame.GetProperty("event_type").GetString() == "heartbeat");

        Assert.Equal(WireEvents.Id(1).ToString(), frame.GetProperty("data").GetProperty("event_id").GetString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(Timeout);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (app.App.Services.GetRequiredService<StreamSubscriberGate>().Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, app.App.Services.GetRequiredService<StreamSubscriberGate>().Count);
    }

    [Fact]
    public async Task WebSocket_PlainGet_Is400()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("ws");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", body.GetProperty("error").GetProperty("code").GetString());
    }
}
