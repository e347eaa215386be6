using System.Net;
using System.Text.Json;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class EventEndpointTests
{
    private static async Task<HubApp> WithEventsAsync(int count)
    {
        var app = await HubApp.StartAsync();
        var lines = Enumerable.Range(1, count).Select(i => WireEvents.Latency(i, module: i % 2 == 0 ? "llm-sentinel" : "llm-observatory"));
        var (response, _) = await app.PostEventsAsync(HubApp.Ndjson(lines));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return app;
    }

    [Fact]
    public async Task GetEvents_Filtered_ReturnsTheMatchesWithAnExactTotal()
    {
        await using var app = await WithEventsAsync(9);

        var (response, body) = await app.GetAsync("events?source_module=llm-sentinel&per_page=2&order=asc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pagination = body.GetProperty("pagination");
        Assert.Equal(4ul, pagination.GetProperty("total_items").GetUInt64());
        Assert.Equal(2u, pagination.GetProperty("total_pages").GetUInt32());
        Assert.True(pagination.GetProperty("has_next").GetBoolean());
        Assert.Contains("source_module=llm-sentinel", pagination.GetProperty("links").GetProperty("next").GetString(), StringComparison.Ordinal);
        var data = body.GetProperty("data");
        Assert.Equal([WireEvents.Id(2).ToString(), WireEvents.Id(4).ToString()], data.EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!).ToArray());
    }

    [Fact]
    public async Task GetEvents_FollowingNextCursor_VisitsEveryEventOnce()
    {
        await using var app = await WithEventsAsync(11);
        var seen = new List<string>();
        string? cursor = null;
        for (var guard = 0; guard < 20; guard++)
        {
            var (response, body) = await app.GetAsync("events?per_page=3" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!));
            Assert.Equal(11ul, body.GetProperty("pagination").GetProperty("total_items").GetUInt64());
            if (!body.GetProperty("pagination").GetProperty("has_next").GetBoolean())
            {
                break;
            }

            cursor = body.GetProperty("next_cursor").GetString();
        }

        Assert.Equal(11, seen.Count);
        Assert.Equal(11, seen.Distinct().Count());
    }

    [Fact]
    public async Task GetEvents_MalformedCursor_Is400InvalidCursor()
    {
        await using var app = await WithEventsAsync(1);

        var (response, body) = await app.GetAsync("events?cursor=not-a-cursor");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_cursor", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task GetEvents_CursorOfAnotherQuery_Is400InvalidCursor()
    {
        await using var app = await WithEventsAsync(5);
        var (_, first) = await app.GetAsync("events?per_page=2");
        var cursor = first.GetProperty("next_cursor").GetString()!;

        var (response, body) = await app.GetAsync("events?per_page=2&source_module=llm-sentinel&cursor=" + Uri.EscapeDataString(cursor));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_cursor", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("events?source_module=llm-nowhere", "source_module[0]")]
    [InlineData("events?from=yesterday", "from")]
    [InlineData("events?per_page=5000", "per_page")]
    [InlineData("events?page=x", "page")]
    [InlineData("events?sourcemodule=llm-sentinel", "sourcemodule")]
    [InlineData("events?tag=novalue", "tag")]
    [InlineData("events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task GetEvents_BadParameter_Is400NamingIt(string path, string field)
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync(path);

        HubApp.AssertNamesField(response, body, field);
    }

    [Fact]
    public async Task GetEvent_ById_ReturnsTheEventInItsWireShape()
    {
        await using var app = await WithEventsAsync(2);

        var (response, body) = await app.GetAsync("events/" + WireEvents.Id(2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = body.GetProperty("data");
        Assert.Equal("llm-sentinel", evt.GetProperty("source_module").GetString());
        Assert.Equal("latency", evt.GetProperty("payload").GetProperty("data").GetProperty("telemetry_type").GetString());
    }

    [Fact]
    public async Task GetEvent_Unknown_Is404()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("events/" + Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task GetEvent_NotAUuid_Is400AtId()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("events/123");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("error").GetProperty("field_errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task GetCorrelated_ReturnsTheCorrelationAndTheChildrenButNotTheEventItself()
    {
        await using var app = await HubApp.StartAsync();
        var correlation = Guid.NewGuid();
        await app.PostEventsAsync(HubApp.Ndjson(
        [
            WireEvents.Latency(1, correlation: correlation),
            WireEvents.Latency(2, correlation: correlation),
            WireEvents.Latency(3, parent: WireEvents.Id(1)),
            WireEvents.Latency(4),
        ]));

        var (response, body) = await app.GetAsync($"events/{WireEvents.Id(1)}/correlated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!).ToArray();
        Assert.Equal([WireEvents.Id(2).ToString(), WireEvents.Id(3).ToString()], ids);
    }

    [Fact]
    public async Task GetCorrelated_UnknownEvent_Is404()
    {
        await using var app = await HubApp.StartAsync();

        var (response, _) = await app.GetAsync($"events/{Guid.NewGuid()}/correlated");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetRate_CountsPerBucketAndModule()
    {
        await using var app = await WithEventsAsync(6);
        var from = WireEvents.Base.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var to = WireEvents.Base.AddMinutes(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        var (response, body) = await app.GetAsync($"events/rate?from={from}&to={to}&bucket_seconds=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.Equal(6ul, data.GetProperty("total").GetUInt64());
        var buckets = data.GetProperty("buckets");
        Assert.Equal(2, buckets.GetArrayLength());
        var first = buckets[0].GetProperty("by_module");
        Assert.Equal(3ul, first.GetProperty("llm-observatory").GetUInt64());
        Assert.Equal(3ul, first.GetProperty("llm-sentinel").GetUInt64());
        Assert.Equal(0ul, buckets[1].GetProperty("total").GetUInt64());
    }

    [Theory]
    [InlineData("events/rate?bucket_seconds=0", "bucket_seconds")]
    [InlineData("events/rate?bucket_seconds=1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "bucket_seconds")]
    [InlineData("events/rate?per_pag=1", "per_pag")]
    public async Task GetRate_BadArguments_Is400(string path, string field)
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("error").GetProperty("field_errors").TryGetProperty(field, out _), body.ToString());
    }

    internal static JsonElement Data(JsonElement body) => body.GetProperty("data");
}
