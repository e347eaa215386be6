using System.IO.Pipelines;
using System.Net;
using System.Text;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class IngestEndpointTests
{
    [Fact]
    public async Task PostEvents_OneEvent_StoresItAndReportsSuccess()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", body.GetProperty("status").GetString());
        var batch = body.GetProperty("data");
        Assert.Equal(1, batch.GetProperty("success_count").GetInt32());
        Assert.Equal("all_success", batch.GetProperty("status").GetString());
        Assert.Equal(WireEvents.Id(1).ToString(), batch.GetProperty("results")[0].GetProperty("item_id").GetString());
        Assert.NotNull(await app.Hub.Events.GetAsync(WireEvents.Id(1)));
    }

    [Fact]
    public async Task PostEvents_OnePrettyPrintedEvent_IsOneEvent()
    {
        await using var app = await HubApp.StartAsync();
        using var document = System.Text.Json.JsonDocument.Parse(WireEvents.Latency(1));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            document.WriteTo(writer);
        }

        var pretty = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        var (response, body) = await app.PostEventsAsync(HubApp.Json(pretty));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = body.GetProperty("data");
        Assert.Equal(1, batch.GetProperty("total_items").GetInt32());
        Assert.Equal(1, batch.GetProperty("success_count").GetInt32());
        Assert.Equal(1ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_JsonArray_StoresEveryItem()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Json("[" + WireEvents.Latency(1) + "," + WireEvents.Latency(2) + "]"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("data").GetProperty("success_count").GetInt32());
        Assert.Equal(2ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_NdjsonWithOneInvalidLine_StoresTheOthersAndNamesTheLineAndPath()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(1), WireEvents.WithoutZone(2), WireEvents.Latency(3)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("partial", body.GetProperty("status").GetString());
        var batch = body.GetProperty("data");
        Assert.Equal("partial_success", batch.GetProperty("status").GetString());
        Assert.Equal(2, batch.GetProperty("success_count").GetInt32());
        var failed = batch.GetProperty("results")[1];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("field_errors").TryGetProperty("timestamp", out _));
        Assert.Equal(2, error.GetProperty("details").GetProperty("context").GetProperty("line").GetInt32());
        Assert.Equal(2ul, await app.StoredCountAsync());
        Assert.Null(await app.Hub.Events.GetAsync(WireEvents.Id(2)));
    }

    [Fact]
    public async Task PostEvents_EveryItemInvalid_Is400WithPathsPrefixedByIndex()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Ndjson([WireEvents.WithoutZone(1), WireEvents.WithoutZone(2)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", body.GetProperty("status").GetString());
        var fields = body.GetProperty("error").GetProperty("field_errors");
        Assert.True(fields.TryGetProperty("[0].timestamp", out _));
        Assert.True(fields.TryGetProperty("[1].timestamp", out _));
        Assert.Equal(0ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_MalformedJson_Is400WithTheReadersCode()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Json("{\"event_id\": "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.Equal(400, error.GetProperty("status_code").GetInt32());
        Assert.Equal(0ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_EmptyBody_Is400EmptyInput()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Json("  \n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty_input", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostEvents_ContentLengthOverTheLimit_Is413BeforeReading()
    {
        await using var app = await HubApp.StartAsync(http: o => o.MaxRequestBodySize = 100);

        var (response, body) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_ChunkedBodyOverTheLimit_StopsThereAndReportsWhatWasHandled()
    {
        var line = WireEvents.Latency(1).Length + 1;
        await using var app = await HubApp.StartAsync(http: o => o.MaxRequestBodySize = (2 * line) + 10);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 5).Select(i => WireEvents.Latency(i))) + "\n")));
        content.Headers.ContentType = new("application/x-ndjson");

        var request = new HttpRequestMessage(HttpMethod.Post, "events") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await app.Client.SendAsync(request);
        var body = await HubApp.BodyAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", body.GetProperty("error").GetProperty("code").GetString());
        var results = body.GetProperty("data").GetProperty("results");
        Assert.Equal("success", results[0].GetProperty("status").GetString());
        Assert.Equal("success", results[1].GetProperty("status").GetString());
        Assert.Equal(3, results.GetArrayLength()); // the cut third line is reported as failed
        Assert.Equal("failed", results[2].GetProperty("status").GetString());
        await app.Hub.FlushAsync();
        Assert.Equal(2ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task PostEvents_MoreItemsThanTheLimit_TakesTheFirstAndIs413()
    {
        await using var app = await HubApp.StartAsync(hub: o => o.Validation = new() { MaxBatchItems = 3 });

        var (response, body) = await app.PostEventsAsync(HubApp.Ndjson(Enumerable.Range(1, 5).Select(i => WireEvents.Latency(i))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Validation.MaxBatchItems", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, body.GetProperty("data").GetProperty("total_items").GetInt32()); // three taken, the fourth refused as too_many_items
        await app.Hub.FlushAsync();
        Assert.Equal(3ul, await app.StoredCountAsync());
        Assert.Null(await app.Hub.Events.GetAsync(WireEvents.Id(4)));
    }

    [Fact]
    public async Task PostEvents_Duplicate_IsSkippedWithDuplicateEvent()
    {
        await using var app = await HubApp.StartAsync();
        await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        var (response, body) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = body.GetProperty("data").GetProperty("results")[0];
        Assert.Equal("skipped", item.GetProperty("status").GetString());
        Assert.Equal("duplicate_event", item.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostEvents_WithoutWaitingForStorage_Is202()
    {
        await using var app = await HubApp.StartAsync(http: o => o.WaitForStorage = false);

        var (response, body) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, body.GetProperty("data").GetProperty("success_count").GetInt32());
    }

    [Fact]
    public async Task PostEvents_HubStopped_Is503WithRetryAfter()
    {
        await using var app = await HubApp.StartAsync(http: o => o.RetryAfter = TimeSpan.FromSeconds(7));
        await app.Hub.StopAsync();

        var (response, body) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("7", response.Headers.RetryAfter!.ToString());
        Assert.Equal("service_unavailable", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostEvents_QueueFull_Is429WithRetryAfterAndTheRefusedItems()
    {
        using var store = new BlockedStore();
        await using var app = await HubApp.StartAsync(
            hub: o =>
            {
                o.Ingestion.QueueCapacity = 2;
                o.Ingestion.MaxBatchSize = 1;
                o.Ingestion.Backpressure = BackpressureMode.Refuse;
                o.Ingestion.ShutdownTimeout = TimeSpan.FromMilliseconds(100);
            },
            services: b => b.Services.AddSingleton<IEventStore>(store));

        var (response, body) = await app.PostEventsAsync(HubApp.Ndjson(Enumerable.Range(1, 20).Select(i => WireEvents.Latency(i))));
        store.Release();

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Equal("rate_limited", body.GetProperty("error").GetProperty("code").GetString());
        var results = body.GetProperty("data").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(20, results.Count);
        Assert.Contains(results, r => r.GetProperty("status").GetString() == "failed" && r.GetProperty("error").GetProperty("code").GetString() == "rate_limited");
        Assert.Contains(results, r => r.GetProperty("status").GetString() == "success");
    }

    [Fact]
    public async Task PostEvents_StreamedBody_IngestsItemsBeforeTheBodyEnds()
    {
        await using var app = await HubApp.StartAsync();
        var pipe = new Pipe();
        var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = new("application/x-ndjson");
        var post = app.Client.PostAsync("events", content);

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(WireEvents.Latency(1) + "\n"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (app.Hub.Statistics.Accepted < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, app.Hub.Statistics.Accepted); // read while the request is still open
        Assert.False(post.IsCompleted);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(WireEvents.Latency(2) + "\n"));
        await pipe.Writer.CompleteAsync();
        var response = await post;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2ul, await app.StoredCountAsync());
    }

    /// <summary>An in-memory store whose appends wait until released, so the queue behind it fills.</summary>
    private sealed class BlockedStore : IEventStore, IDisposable
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public InMemoryEventStore Inner { get; } = new();

        public void Release() => _released.TrySetResult();

        public async ValueTask<AppendResult> AppendAsync(IReadOnlyList<Events.AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            await _released.Task.WaitAsync(cancellationToken);
            return await Inner.AppendAsync(events, writeId, cancellationToken);
        }

        public ValueTask<Events.AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => Inner.GetAsync(eventId, cancellationToken);

        public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.QueryAsync(query, cancellationToken);

        public ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.CountAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<Events.AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default) => Inner.GetCorrelatedAsync(correlationId, cancellationToken);

        public ValueTask<IReadOnlyList<Events.AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default) => Inner.GetChildrenAsync(parentEventId, cancellationToken);

        public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null) => Inner.Subscribe(filter, resumeAfterSequence);

        public void Dispose() => Inner.Dispose();
    }
}
