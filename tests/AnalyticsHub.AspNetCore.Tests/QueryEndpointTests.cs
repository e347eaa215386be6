using System.Globalization;
using System.Net;
using System.Text;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class QueryEndpointTests
{
    private static string At(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static async Task<HubApp> WithLatenciesAsync()
    {
        var app = await HubApp.StartAsync();
        // gpt-4o: 100, 200, 300 ms; claude: 50 ms; all in the first minute after Base.
        await app.PostEventsAsync(HubApp.Ndjson(
        [
            WireEvents.Latency(1, latencyMs: 100), WireEvents.Latency(2, latencyMs: 200), WireEvents.Latency(3, latencyMs: 300),
            WireEvents.Latency(4, model: "claude", latencyMs: 50),
        ]));
        await app.Hub.FlushAsync();
        return app;
    }

    private static async Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> PostAsync(HubApp app, string path, string json)
    {
        var response = await app.Client.PostAsync(path, HubApp.Json(json));
        return (response, await HubApp.BodyAsync(response));
    }

    [Fact]
    public async Task TimeSeriesQuery_Aggregated_FirstAggregationIsValueAndTheOthersFlatFields()
    {
        await using var app = await WithLatenciesAsync();
        var query = $$"""
            {"measurement":"llm_latency","time_range":{"start":"{{At(WireEvents.Base)}}","end":"{{At(WireEvents.Base.AddMinutes(1))}}"},
             "aggregations":[{"function":"mean","fields":["latency_ms"]},{"function":"count","fields":["latency_ms"]}],
             "group_by":["model_id"]}
            """;

        var (response, body) = await PostAsync(app, "timeseries/query", query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.Equal("llm_latency", data.GetProperty("query").GetString());
        var series = data.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("tags").GetProperty("model_id").GetString()!);
        var gpt = series["gpt-4o"];
        Assert.Equal("llm_latency", gpt.GetProperty("name").GetString());
        var point = gpt.GetProperty("points")[0];
        Assert.Equal(200, point.GetProperty("value").GetDouble(), 9);
        Assert.Equal(3, point.GetProperty("latency_ms_count").GetInt64());
        Assert.Equal(50, series["claude"].GetProperty("points")[0].GetProperty("value").GetDouble(), 9);
        Assert.True(data.GetProperty("metrics").GetProperty("records_scanned").GetUInt64() >= 4);
    }

    [Fact]
    public async Task TimeSeriesQuery_MalformedJson_Is400WithThePath()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, "timeseries/query", """{"measurement":"llm_latency","time_range":{"start":"yesterday","end":"2026-01-01T00:00:00Z"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("field_errors").TryGetProperty("time_range.start", out _), error.ToString());
    }

    [Fact]
    public async Task TimeSeriesQuery_InvalidQuery_Is400WithTheEnginesPaths()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, "timeseries/query", """{"measurement":"llm_latency","time_range":{"start":"2026-01-02T00:00:00Z","end":"2026-01-01T00:00:00Z"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("time_range", body.GetProperty("error").GetProperty("field_errors").EnumerateObject().Single().Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeSeriesQuery_NullBody_Is400()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, "timeseries/query", "null");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_error", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TimeSeriesQuery_OversizedBody_Is413()
    {
        await using var app = await HubApp.StartAsync(http: o => o.MaxQueryBodySize = 64);

        var (response, body) = await PostAsync(app, "timeseries/query", "{\"measurement\":\"" + new string('m', 100) + "\"}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task MetricsQuery_Statistics_AreAggregatedValuesWithSumAndStddev()
    {
        await using var app = await WithLatenciesAsync();
        var query = $$"""
            {"metric_name":"llm_latency.latency_ms","time_range":{"start":"{{At(WireEvents.Base.AddHours(-1))}}","end":"{{At(WireEvents.Base.AddHours(1))}}"},
             "window":"one_hour","group_by":["model_id"]}
            """;

        var (response, body) = await PostAsync(app, "metrics/query", query);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var data = body.GetProperty("data");
        Assert.Equal("llm_latency.latency_ms", data.GetProperty("metric").GetString());
        Assert.Equal("one_hour", data.GetProperty("window").GetString());
        var gpt = data.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("tags").GetProperty("model_id").GetString() == "gpt-4o");
        Assert.Equal(3ul, gpt.GetProperty("count").GetUInt64());
        Assert.Equal(600, gpt.GetProperty("sum").GetDouble(), 9);
        Assert.Equal(100, gpt.GetProperty("min").GetDouble(), 9);
        Assert.Equal(300, gpt.GetProperty("max").GetDouble(), 9);
        Assert.Equal(100, gpt.GetProperty("stddev").GetDouble(), 6);
    }

    [Fact]
    public async Task MetricsQuery_UnknownWindow_Is400AtWindow()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, "metrics/query", """{"metric_name":"llm_latency.latency_ms","time_range":{"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z"},"window":"fortnight"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("error").GetProperty("field_errors").TryGetProperty("window", out _), body.ToString());
    }
}
