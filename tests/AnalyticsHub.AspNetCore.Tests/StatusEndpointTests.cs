using System.Net;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class StatusEndpointTests
{
    [Fact]
    public async Task Stats_ReportsTheIngestionAccounting()
    {
        await using var app = await HubApp.StartAsync();
        await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(1), WireEvents.WithoutZone(2)]));

        var (response, body) = await app.GetAsync("stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.True(data.GetProperty("running").GetBoolean());
        Assert.Equal("healthy", data.GetProperty("health").GetString());
        var ingestion = data.GetProperty("ingestion");
        Assert.Equal(2, ingestion.GetProperty("offered").GetInt64());
        Assert.Equal(1, ingestion.GetProperty("invalid").GetInt64());
        Assert.Equal(1, ingestion.GetProperty("stored").GetInt64());
        Assert.Equal(65_536, data.GetProperty("queue_capacity").GetInt32());
    }

    [Fact]
    public async Task Budgets_ListsEachBudgetsState()
    {
        await using var app = await HubApp.StartAsync(hub: o => o.Cost.Budgets.Add(new Cost.BudgetDefinition { Id = "b1", Name = "Team ML", Period = Cost.BudgetPeriod.Month, LimitUsd = 100 }));

        var (response, body) = await app.GetAsync("budgets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var budget = body.GetProperty("data")[0];
        Assert.Equal("b1", budget.GetProperty("budget_id").GetString());
        Assert.Equal("month", budget.GetProperty("period").GetString());
        Assert.Equal(100, budget.GetProperty("limit_usd").GetDouble());
    }

    [Fact]
    public async Task Health_Running_Is200Healthy()
    {
        await using var app = await HubApp.StartAsync();

        var (response, body) = await app.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.Equal("healthy", data.GetProperty("status").GetString());
        var check = data.GetProperty("checks")[0];
        Assert.Equal("analyticshub", check.GetProperty("name").GetString());
        Assert.Equal(65_536, check.GetProperty("data").GetProperty("queue_capacity").GetInt32());
    }

    [Fact]
    public async Task Health_HubStopped_Is503Unhealthy()
    {
        await using var app = await HubApp.StartAsync();
        await app.Hub.StopAsync();

        var (response, body) = await app.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Retention_AppliesThePolicyAndReportsIt()
    {
        await using var app = await HubApp.StartAsync();

        var response = await app.Client.PostAsync("admin/retention", null);
        var body = await HubApp.BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetProperty("data").GetProperty("raw_points_dropped").GetInt64());
    }
}
