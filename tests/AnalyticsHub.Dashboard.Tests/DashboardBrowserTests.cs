using System.Globalization;
using System.Text.Json;
using OpenQA.Selenium;

namespace AnalyticsHub.Dashboard.Tests;

/// <summary>Each view of the dashboard in a real browser, its numbers checked against the API's own answers.</summary>
public sealed class DashboardBrowserTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private IWebDriver Browser => host.Browser;

    private static double Value(IWebElement element) =>
        double.Parse(element.GetAttribute("data-value")!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: the page shows {actual}, the API answers {expected}");

    private void NoBrowserErrors()
    {
        var errors = host.BrowserErrors();
        Assert.True(errors.Count == 0, "browser errors: " + string.Join(" | ", errors));
    }

    [Fact]
    public async Task Overview_ShowsTheApiCounts_FromThisOriginOnly_AtLaptopWidth()
    {
        host.Open("view=overview&" + host.RangeQuery);
        var rate = await host.GetAsync($"events/rate?{host.RangeQuery}&bucket_seconds=120");
        var stats = await host.GetAsync("stats");

        Assert.True(host.Replayed > 1000, $"the replay ingested {host.Replayed} events");
        Close(rate.GetProperty("total").GetDouble(), Value(Browser.FindElement(By.CssSelector("[data-testid=events-total]"))), "events in range");
        var ingestion = stats.GetProperty("ingestion");
        foreach (var (testid, field) in new[] { ("stat-accepted", "accepted"), ("stat-invalid", "invalid"), ("stat-dropped", "dropped"), ("stat-stored", "stored") })
        {
            Close(ingestion.GetProperty(field).GetDouble(), Value(Browser.FindElement(By.CssSelector($"[data-testid={testid}]"))), field);
        }

        var byModule = Browser.FindElements(By.CssSelector("[data-testid=table-modules] tbody tr"));
        Assert.Contains(byModule, row => row.GetAttribute("data-module") == "llm-observatory");
        var observatory = rate.GetProperty("buckets").EnumerateArray()
            .Sum(b => b.GetProperty("by_module").TryGetProperty("llm-observatory", out var n) ? n.GetDouble() : 0);
        Close(observatory, Value(byModule.Single(r => r.GetAttribute("data-module") == "llm-observatory").FindElement(By.CssSelector("td"))), "observatory events");
        Assert.NotEmpty(Browser.FindElements(By.CssSelector("[data-testid=chart-rate] path[data-series]")));

        var js = (IJavaScriptExecutor)Browser;
        var origin = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        var resources = ((IEnumerable<object>)js.ExecuteScript("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);")!).Cast<string>().ToList();
        Assert.All(resources, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        Assert.True((bool)js.ExecuteScript("return document.documentElement.scrollWidth <= window.innerWidth;")!, "the overview scrolls sideways at 1366 px");
        NoBrowserErrors();
        host.Screenshot("overview");
    }

    [Fact]
    public async Task Latency_PercentilesPerModel_MatchTheTimeSeriesQuery()
    {
        host.Open("view=latency&" + host.RangeQuery);
        var answer = await host.PostAsync("timeseries/query", $$"""
            {"measurement":"llm_latency","time_range":{"start":"{{DashboardHost.Iso(host.From)}}","end":"{{DashboardHost.Iso(host.To)}}"},
             "aggregations":[{"function":"count","fields":["latency_ms"]},{"function":{"percentile":50},"fields":["latency_ms"]},
                             {"function":{"percentile":95},"fields":["latency_ms"]},{"function":{"percentile":99},"fields":["latency_ms"]}],
             "group_by":["model_id"]}
            """);

        var rows = Browser.FindElements(By.CssSelector("[data-testid=table-latency] tbody tr"));
        var series = answer.GetProperty("series").EnumerateArray().ToList();
        Assert.True(series.Count >= 3, "models with latency: " + series.Count);
        Assert.Equal(series.Count, rows.Count);
        foreach (var s in series)
        {
            var model = s.GetProperty("tags").GetProperty("model_id").GetString();
            var row = rows.Single(r => r.GetAttribute("data-model") == model);
            var point = s.GetProperty("points")[0];
            Close(point.GetProperty("value").GetDouble(), Value(row.FindElement(By.CssSelector("[data-testid=count]"))), model + " requests");
            foreach (var p in new[] { 50, 95, 99 })
            {
                Close(point.GetProperty($"latency_ms_p{p}").GetDouble(), Value(row.FindElement(By.CssSelector($"[data-testid=p{p}]"))), $"{model} p{p}");
            }
        }

        Assert.Equal(series.Count, Browser.FindElements(By.CssSelector("[data-testid=chart-p95] path[data-series]")).Count);
        NoBrowserErrors();
        host.Screenshot("latency");
    }

    [Fact]
    public async Task Cost_PerModelAndSource_MatchesTheTimeSeriesQuery_AndTheModelFilterKeepsOneModel()
    {
        var answer = await host.PostAsync("timeseries/query", $$"""
            {"measurement":"cost_token","time_range":{"start":"{{DashboardHost.Iso(host.From)}}","end":"{{DashboardHost.Iso(host.To)}}"},
             "aggregations":[{"function":"sum","fields":["cost_usd"]}],"group_by":["model_id","source_module"]}
            """);
        host.Open("view=cost&" + host.RangeQuery);

        var rows = Browser.FindElements(By.CssSelector("[data-testid=table-cost] tbody tr"));
        var series = answer.GetProperty("series").EnumerateArray().ToList();
        Assert.NotEmpty(series);
        foreach (var s in series)
        {
            var model = s.GetProperty("tags").GetProperty("model_id").GetString();
            var source = s.GetProperty("tags").GetProperty("source_module").GetString();
            var cell = rows.Single(r => r.GetAttribute("data-model") == model).FindElement(By.CssSelector($"[data-testid={source}]"));
            Close(s.GetProperty("points")[0].GetProperty("value").GetDouble(), Value(cell), $"{model} {source}");
        }

        NoBrowserErrors();
        host.Screenshot("cost");

        var model0 = series[0].GetProperty("tags").GetProperty("model_id").GetString()!;
        host.Open($"view=cost&model={Uri.EscapeDataString(model0)}&" + host.RangeQuery);
        Assert.Equal([model0], Browser.FindElements(By.CssSelector("[data-testid=table-cost] tbody tr")).Select(r => r.GetAttribute("data-model")));
        Assert.Equal(model0, Browser.FindElement(By.Name("model")).GetAttribute("value"));
        Assert.Contains("model=" + model0, new Uri(Browser.Url).Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budgets_SpendLimitAndThresholds_MatchTheApi()
    {
        host.Open("view=budgets");
        var budgets = (await host.GetAsync("budgets")).EnumerateArray().ToList();

        Assert.Equal(2, budgets.Count);
        foreach (var b in budgets)
        {
            var row = Browser.FindElement(By.CssSelector($"[data-testid=table-budgets] tr[data-budget='{b.GetProperty("budget_id").GetString()}']"));
            Close(b.GetProperty("spend_usd").GetDouble(), Value(row.FindElement(By.CssSelector("[data-testid=spend]"))), "spend");
            Close(b.GetProperty("limit_usd").GetDouble(), Value(row.FindElement(By.CssSelector("[data-testid=limit]"))), "limit");
            var crossed = b.GetProperty("thresholds_crossed").EnumerateArray().Select(t => t.GetDouble().ToString(CultureInfo.InvariantCulture) + "%").ToList();
            Assert.Equal(crossed.Count == 0 ? "none" : string.Join(", ", crossed), row.FindElement(By.CssSelector("[data-testid=crossed]")).Text);
        }

        NoBrowserErrors();
        host.Screenshot("budgets");
    }

    [Fact]
    public async Task Timeline_ListsTheApisIncidents_AndTheKeyboardFollowsOneToItsGraph()
    {
        host.Open("view=timeline&" + host.RangeQuery);
        var incidents = (await host.GetAsync("correlations?time_window_minutes=44640&min_strength=0")).GetProperty("correlations").EnumerateArray()
            .Where(c => DateTimeOffset.Parse(c.GetProperty("time_window").GetProperty("start").GetString()!, CultureInfo.InvariantCulture) < host.To)
            .ToList();
        var anomalies = await host.GetAsync("events?source_module=llm-analytics-hub&payload_type=custom&subtype=anomaly&tag=anomaly_phase:open&per_page=1&" + host.RangeQuery);

        Assert.NotEmpty(incidents);
        Assert.Equal(incidents.Count, Browser.FindElements(By.CssSelector("[data-testid=table-incidents] tbody tr")).Count);
        Assert.Equal(incidents.Count, Browser.FindElements(By.CssSelector("[data-testid=chart-timeline] a[data-incident]")).Count);
        var anomalyCount = Value(Browser.FindElement(By.CssSelector("[data-testid=anomaly-count]")));
        Assert.True(anomalyCount > 0, "no anomaly episode on the timeline");
        NoBrowserErrors();
        host.Screenshot("timeline");

        // The strongest incident, reached from the timeline's bar with the keyboard.
        var chosen = incidents.OrderByDescending(c => c.GetProperty("events").GetArrayLength()).First();
        var id = chosen.GetProperty("correlation_id").GetString()!;
        var bar = Browser.FindElement(By.CssSelector($"[data-testid=chart-timeline] a[data-incident='{id}']"));
        ((IJavaScriptExecutor)Browser).ExecuteScript("arguments[0].focus();", bar);
        Assert.Equal(id, Browser.SwitchTo().ActiveElement().GetAttribute("data-incident"));
        Browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        DashboardHost.WaitFor(() => Browser.Url, url => url.Contains("view=incident", StringComparison.Ordinal), "the incident view");
        DashboardHost.WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-ready"), v => v == "true", "the incident to load");

        var incident = await host.GetAsync("correlations/" + id);
        var members = incident.GetProperty("events").EnumerateArray().ToList();
        var graph = Browser.FindElement(By.CssSelector("[data-testid=incident-graph]"));
        Assert.Equal(members.Count, graph.FindElements(By.CssSelector("circle[data-node]")).Count);
        Assert.Equal(members.Select(m => m.GetProperty("event_id").GetString()).Order(), graph.FindElements(By.CssSelector("circle[data-node]")).Select(n => n.GetAttribute("data-node")).Order());
        var eventGraph = await host.GetAsync("correlations/" + id + "/graph");
        Assert.Equal(eventGraph.GetProperty("edges").GetArrayLength(), int.Parse(graph.GetAttribute("data-edges")!, CultureInfo.InvariantCulture));
        Assert.Equal(
            eventGraph.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("relationship_type").GetString()).Order(),
            graph.FindElements(By.CssSelector("line[data-edge]")).Select(e => e.GetAttribute("data-edge")).Order());
        Close(incident.GetProperty("strength").GetDouble(), Value(Browser.FindElement(By.CssSelector("[data-testid=incident-strength]"))), "strength");
        Close(incident.GetProperty("confidence").GetDouble(), Value(Browser.FindElement(By.CssSelector("[data-testid=incident-confidence]"))), "confidence");
        foreach (var group in members.GroupBy(m => m.GetProperty("source_module").GetString()))
        {
            var row = Browser.FindElement(By.CssSelector($"[data-testid=table-by-module] tr[data-module='{group.Key}']"));
            Assert.Equal(group.Count(), (int)Value(row.FindElement(By.CssSelector("[data-testid=total]"))));
        }

        Assert.NotEmpty(Browser.FindElement(By.CssSelector("[data-testid=root-cause]")).Text);
        NoBrowserErrors();
        host.Screenshot("incident");
    }

    [Fact]
    public async Task LiveTail_ShowsAnEventPostedNow_ThatMatchesItsFilter_AndNotOneThatDoesNot()
    {
        host.Open("view=tail&tail_module=llm-sentinel");
        DashboardHost.WaitFor(() => Browser.FindElement(By.CssSelector("[data-testid=tail-state]")).Text, s => s == "live", "the stream to open");
        var now = DashboardHost.Iso(DateTimeOffset.UtcNow);
        var matching = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        await host.PostAsync("events", """
            [{"event_id":"@OTHER@","timestamp":"@NOW@","source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0",
              "severity":"info","environment":"production","tags":{},
              "payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4o","request_id":"tail-1","total_latency_ms":120.5}}},
             {"event_id":"@MATCHING@","timestamp":"@NOW@","source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0",
              "severity":"critical","environment":"production","tags":{"tenant":"tenant-01"},
              "payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t-1","threat_type":{"other":"jailbreak"},
                "threat_level":"high","source_ip":"203.0.113.7","target_resource":"chat-api","attack_vector":"role-play prompt",
                "mitigation_status":"blocked","indicators_of_compromise":["ignore previous instructions"]}}}]
            """.Replace("@OTHER@", other, StringComparison.Ordinal).Replace("@NOW@", now, StringComparison.Ordinal).Replace("@MATCHING@", matching, StringComparison.Ordinal));

        var row = DashboardHost.WaitFor(() => Browser.FindElement(By.CssSelector($"[data-testid=table-tail] tr[data-event='{matching}']")), r => r.Displayed, "the posted event in the tail");
        Assert.Contains("llm-sentinel", row.Text, StringComparison.Ordinal);
        Assert.Contains("security / threat", row.Text, StringComparison.Ordinal);
        Assert.Empty(Browser.FindElements(By.CssSelector($"[data-testid=table-tail] tr[data-event='{other}']")));
        Assert.Equal("llm-sentinel", Browser.FindElement(By.Name("tail_module")).GetDomProperty("value"));
        NoBrowserErrors();
        host.Screenshot("tail");
    }
}
