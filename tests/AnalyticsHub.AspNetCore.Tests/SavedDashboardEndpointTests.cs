using System.Net;
using System.Text.Json;
using AnalyticsHub.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class SavedDashboardEndpointTests
{
    private static DashboardConfig Dashboard(string id, string name) => JsonSerializer.Deserialize("""
        {"dashboard_id":"@ID@","name":"@NAME@","description":"for the tests","layout":{"layout_type":"grid","columns":12,"row_height":80},
         "widgets":[{"widget_id":"p95","title":"p95 latency","widget_type":"line_chart","position":{"x":0,"y":0,"width":6,"height":3},
           "data_source":{"source_type":"metrics","query":"{\"measurement\":\"llm_latency\",\"time_range\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-02T00:00:00Z\"}}","refresh_interval":null,"parameters":{}},
           "visualization":{"options":{},"color_scheme":null,"show_legend":true},"settings":{}},
          {"widget_id":"flow","title":"Token flow","widget_type":{"custom":"sankey"},"position":{"x":6,"y":0,"width":6,"height":3},
           "data_source":{"source_type":"events","query":"{\"payload_type\":\"telemetry\",\"per_page\":100}","refresh_interval":30,"parameters":{}},
           "visualization":{"options":{},"color_scheme":null,"show_legend":false},"settings":{}}],
         "refresh_interval":60,"default_time_range":"last_24h","owner":{"user_id":"u-17","username":"mara","email":null,"team":"platform","department":null},
         "visibility":{"visibility":"public"},"created_at":"2026-01-10T09:00:00Z","updated_at":"2026-01-10T09:00:00Z"}
        """.Replace("@ID@", id, StringComparison.Ordinal).Replace("@NAME@", name, StringComparison.Ordinal), MetadataJsonContext.Default.DashboardConfig)!;

    private static MetadataRegistry Registry(HubApp app) => app.App.Services.GetRequiredService<MetadataRegistry>();

    private static async Task<HubApp> WithDashboardsAsync(params string[] ids)
    {
        var app = await HubApp.StartAsync();
        foreach (var id in ids)
        {
            Assert.True((await Registry(app).Dashboards.CreateAsync(Dashboard(id, "Dashboard " + id))).IsSuccess);
        }

        return app;
    }

    private static string[] Ids(JsonElement body) =>
        [.. body.GetProperty("data").GetProperty("dashboards").EnumerateArray().Select(d => d.GetProperty("dashboard_id").GetString()!)];

    [Fact]
    public async Task GetDashboard_IsTheSavedDocumentInItsWireJson_WithItsRevisionAsETag()
    {
        await using var app = await WithDashboardsAsync("ops");
        var registry = Registry(app);
        var entry = (await registry.Dashboards.GetAsync("ops"))!;
        Assert.True((await registry.Dashboards.UpdateAsync(entry.Item with { Name = "Operations" }, entry.Revision)).IsSuccess);

        var (response, body) = await app.GetAsync("dashboards/ops");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var saved = (await registry.Dashboards.GetAsync("ops"))!.Item;
        Assert.Equal(JsonSerializer.Serialize(saved, MetadataJsonContext.Wire.DashboardConfig), body.GetProperty("data").GetRawText());
        Assert.Equal("Operations", body.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("sankey", body.GetProperty("data").GetProperty("widgets")[1].GetProperty("widget_type").GetProperty("custom").GetString());
    }

    [Fact]
    public async Task GetDashboard_UnknownOrDeleted_Is404()
    {
        await using var app = await WithDashboardsAsync("ops");
        var registry = Registry(app);
        Assert.True((await registry.Dashboards.DeleteAsync("ops", 1)).IsSuccess);

        var (deleted, deletedBody) = await app.GetAsync("dashboards/ops");
        var (unknown, unknownBody) = await app.GetAsync("dashboards/nope");

        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Contains("deleted", deletedBody.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", unknownBody.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ListDashboards_PagesInIdOrder_ByCursor_WithoutTheDeleted()
    {
        await using var app = await WithDashboardsAsync("cost", "ops", "audit", "latency");
        var registry = Registry(app);
        Assert.True((await registry.Dashboards.DeleteAsync("latency", 1)).IsSuccess);

        var (first, firstBody) = await app.GetAsync("dashboards?limit=2");
        var cursor = firstBody.GetProperty("data").GetProperty("next_cursor").GetString();
        var (_, secondBody) = await app.GetAsync("dashboards?limit=2&cursor=" + Uri.EscapeDataString(cursor!));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["audit", "cost"], Ids(firstBody));
        Assert.Equal(3, firstBody.GetProperty("data").GetProperty("total_count").GetInt64());
        Assert.Equal(["ops"], Ids(secondBody));
        Assert.False(secondBody.GetProperty("data").TryGetProperty("next_cursor", out _));
        Assert.Equal("Dashboard ops", secondBody.GetProperty("data").GetProperty("dashboards")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task ListDashboards_Empty_IsAnEmptyPage()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("dashboards");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Ids(body));
        Assert.Equal(0, body.GetProperty("data").GetProperty("total_count").GetInt64());
    }

    [Theory]
    [InlineData("dashboards?limit=ten", "limit")]
    [InlineData("dashboards?limit=0", "limit")]
    [InlineData("dashboards?limit=1001", "limit")]
    [InlineData("dashboards?owner=mara", "owner")]
    public async Task ListDashboards_BadParameters_NameTheParameter(string path, string field)
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync(path);

        HubApp.AssertNamesField(response, body, field);
    }

    [Fact]
    public async Task ListDashboards_ABadCursor_IsRefused()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("dashboards?cursor=not-a-cursor");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_cursor", body.GetProperty("error").GetProperty("code").GetString());
    }
}
