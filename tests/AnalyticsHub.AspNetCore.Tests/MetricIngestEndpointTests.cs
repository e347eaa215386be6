using System.Globalization;
using System.Net;
using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary><c>POST /metrics</c>: the metric wire types in, answered like <c>POST /events</c> (issue 38).</summary>
public sealed class MetricIngestEndpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static string Gauge(int second, double value, string environment = "\"environment\":\"prod\",") =>
        "{\"metric_type\":\"gauge\",\"name\":\"queue_depth\",\"value\":" + value.ToString(CultureInfo.InvariantCulture) +
        ",\"tags\":{\"source_module\":\"llm-observatory\"," + environment.TrimEnd(',') + (environment.Length > 0 ? "" : "\"x\":\"y\"") +
        "},\"timestamp\":\"" + Start.AddSeconds(second).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\"}";

    private static async Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> PostAsync(HubApp app, HttpContent content)
    {
        var response = await app.Client.PostAsync("metrics", content);
        return (response, await HubApp.BodyAsync(response));
    }

    private static async Task<int> StoredPointsAsync(HubApp app)
    {
        await app.Hub.FlushAsync();
        var outcome = await app.Hub.QueryTimeSeriesAsync(new TimeSeriesQuery { Measurement = "queue_depth", TimeRange = new TimeRange(Start, Start.AddHours(1)) });
        return outcome.Result!.Series.Sum(s => s.Points.Count);
    }

    [Fact]
    public async Task PostMetrics_NdjsonWithOneInvalidLine_QueuesTheOthersAndNamesTheLineAndPath()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, HubApp.Ndjson([Gauge(0, 1), Gauge(10, 2), Gauge(20, 3, environment: "")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("partial", body.GetProperty("status").GetString());
        var batch = body.GetProperty("data");
        Assert.Equal(2, batch.GetProperty("success_count").GetInt32());
        var failed = batch.GetProperty("results")[2];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("field_errors").TryGetProperty("tags.environment", out _), error.ToString());
        Assert.Equal(3, error.GetProperty("details").GetProperty("context").GetProperty("line").GetInt32());
        Assert.Equal(2, await StoredPointsAsync(app));
        Assert.Equal((3L, 1L, 2L), (app.Hub.Statistics.Offered, app.Hub.Statistics.Invalid, app.Hub.Statistics.Stored));
    }

    [Fact]
    public async Task PostMetrics_JsonArray_QueuesEveryItemAsPoints()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, HubApp.Json("[" + Gauge(0, 1) + "," + Gauge(10, 2) + "]"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("all_success", body.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(2, await StoredPointsAsync(app));
    }

    [Fact]
    public async Task PostMetrics_EveryItemUnreadable_Is400WithEachItemsCodeAndPath()
    {
        await using var app = await HubApp.StartAsync();
        var wrongType = Gauge(0, 1).Replace("\"value\":1", "\"value\":\"high\"", StringComparison.Ordinal);
        var noType = Gauge(0, 1).Replace("\"metric_type\":\"gauge\",", "", StringComparison.Ordinal);

        var (response, body) = await PostAsync(app, HubApp.Json("[" + wrongType + "," + noType + ",{\"metric_type\":\"gauge\"]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.Equal("All 4 metrics are invalid; nothing was stored.", error.GetProperty("message").GetString());
        var fields = error.GetProperty("field_errors");
        Assert.Equal(["[0].value", "[1].metric_type", "[2]", "[3]"], fields.EnumerateObject().Select(p => p.Name));
        Assert.Contains("metric_type: counter, gauge, histogram or summary", fields.GetProperty("[1].metric_type")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("invalid without a matching open", fields.GetProperty("[2]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredPointsAsync(app));
    }

    [Fact]
    public async Task PostMetrics_EmptyBody_IsEmptyInput()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await PostAsync(app, HubApp.Json("  "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty_input", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostMetrics_MoreItemsThanTheLimit_Is413AndReadsNoFurther()
    {
        await using var app = await HubApp.StartAsync(hub: o => o.Validation = new EventValidationOptions { MaxBatchItems = 2 });

        var (response, body) = await PostAsync(app, HubApp.Ndjson([Gauge(0, 1), Gauge(10, 2), Gauge(20, 3), Gauge(30, 4)]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var results = body.GetProperty("data").GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal("payload_too_large", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Validation.MaxBatchItems", results[2].GetProperty("error").GetProperty("field_errors").GetProperty("$")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await StoredPointsAsync(app));
    }
}
