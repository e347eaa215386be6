using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;

namespace AnalyticsHub.Dashboard.Tests;

/// <summary>Each view of the dashboard in a real browser, its numbers checked against the API's own answers.</summary>
public sealed class DashboardBrowserTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private IWebDriver Browser => host.Browser;

    private static double Value(IWebElement element) =>
        double.Parse(element.GetAttribute("data-value")!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A saved dashboard widget's table, read in one script: (series, time) to the column's data-value ("" when empty).</summary>
    private Dictionary<(string Series, string Time), string> WidgetCells(string widget, string column)
    {
        var rows = (IReadOnlyCollection<object>)((IJavaScriptExecutor)Browser).ExecuteScript(
            "return [...document.querySelectorAll(`section[data-widget='${arguments[0]}'] [data-testid=widget-table] tbody tr`)]" +
            ".map(r => [r.dataset.series, r.dataset.time, r.querySelector(`[data-testid='${arguments[1]}']`)?.dataset.value ?? '']);", widget, column)!;
        return rows.Cast<IReadOnlyCollection<object>>().Select(r => r.Cast<string>().ToArray()).ToDictionary(r => (r[0], r[1]), r => r[2]);
    }

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
        host.AssertAccessible("the overview view");
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
        host.AssertAccessible("the latency view");
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
        host.AssertAccessible("the cost view");

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
        host.AssertAccessible("the budgets view");
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
        host.AssertAccessible("the timeline view");

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
        host.AssertAccessible("the incident view");
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
        host.AssertAccessible("the tail view");
    }

    [Fact]
    public async Task SavedDashboards_AreListedFromTheApi_AndOneOpensFromTheList_AtItsOwnAddress()
    {
        host.Open("view=dashboards");
        var saved = await host.GetAsync("dashboards");

        var rows = Browser.FindElements(By.CssSelector("[data-testid=table-dashboards] tbody tr"));
        Assert.Equal(saved.GetProperty("total_count").GetInt32(), rows.Count);
        Assert.Equal(
            saved.GetProperty("dashboards").EnumerateArray().Select(d => d.GetProperty("dashboard_id").GetString()).Order(),
            rows.Select(r => r.GetAttribute("data-dashboard")).Order());
        var ops = rows.Single(r => r.GetAttribute("data-dashboard") == "ops");
        Assert.Equal(6, (int)Value(ops.FindElement(By.CssSelector("[data-testid=widgets]"))));
        NoBrowserErrors();
        host.AssertAccessible("the list of saved dashboards");

        // Chosen from the list by keyboard: the address names it, so it can be shared.
        var link = ops.FindElement(By.TagName("a"));
        ((IJavaScriptExecutor)Browser).ExecuteScript("arguments[0].focus();", link);
        Browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        DashboardHost.WaitFor(() => Browser.Url, url => url.Contains("dashboard=ops", StringComparison.Ordinal), "the dashboard's address");
        DashboardHost.WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-ready"), v => v == "true", "the dashboard to load");
        Assert.Equal("LLM operations", Browser.FindElement(By.CssSelector("[data-testid=dashboard-name]")).Text);
        Assert.Equal(6, Browser.FindElements(By.CssSelector("[data-testid=dashboard-widgets] section[data-widget]")).Count);
        Assert.Equal("ops", Browser.FindElement(By.CssSelector("[data-testid=dashboard-choice]")).GetDomProperty("value"));
        // Without a range in the address the dashboard opens with its default_time_range (last_24h) and refresh_interval (60 s).
        Assert.Contains("the dashboard's default, last_24h", Browser.FindElement(By.CssSelector("[data-testid=range]")).Text, StringComparison.Ordinal);
        Assert.Equal("60", Browser.FindElement(By.Name("refresh")).GetDomProperty("value"));
        // Turned off in the page, "off" is kept in the address (without it the dashboard's own interval would apply again).
        ((IJavaScriptExecutor)Browser).ExecuteScript("const s = document.querySelector('select[name=refresh]'); s.value = ''; s.dispatchEvent(new Event('change'));");
        Assert.Contains("refresh=off", new Uri(Browser.Url).Query, StringComparison.Ordinal);

        // The grid places the widgets by their saved positions: latency (8 columns) on the left, the stat to its right.
        var latency = Browser.FindElement(By.CssSelector("section[data-widget=latency]"));
        var threats = Browser.FindElement(By.CssSelector("section[data-widget=threats]"));
        var hourly = Browser.FindElement(By.CssSelector("section[data-widget=hourly]"));
        Assert.Equal(latency.Location.Y, threats.Location.Y);
        Assert.True(threats.Location.X > latency.Location.X + latency.Size.Width - 1, "the stat is not right of the chart");
        Assert.True(hourly.Size.Width > latency.Size.Width, "the full-width widget is not wider than the 8-column one");

        // The other one: a default range that is not a duration (the last hour is shown, and said), a flex layout, a
        // gauge, and a logs source the hub cannot run, said so in the widget.
        host.Open("view=dashboards&dashboard=budget-watch");
        Assert.Contains("not a duration", Browser.FindElement(By.CssSelector("[data-testid=range]")).Text, StringComparison.Ordinal);
        host.Open("view=dashboards&dashboard=budget-watch&refresh=off&" + host.RangeQuery);
        Assert.Contains("no API to run it", Browser.FindElement(By.CssSelector("section[data-widget=invoices] [data-testid=widget-error]")).Text, StringComparison.Ordinal);
        var spend = await host.PostAsync("timeseries/query", $$"""
            {"measurement":"cost_token","time_range":{"start":"{{DashboardHost.Iso(host.From)}}","end":"{{DashboardHost.Iso(host.To)}}"},
             "tag_filters":{"source_module":"llm-analytics-hub"},"aggregations":[{"function":"sum","fields":["cost_usd"]}]}
            """);
        Close(spend.GetProperty("series")[0].GetProperty("points")[0].GetProperty("value").GetDouble(),
            Value(Browser.FindElement(By.CssSelector("section[data-widget=spend] [data-testid=widget-value]"))), "the gauge's spend");
        Assert.Equal("100", Browser.FindElement(By.CssSelector("section[data-widget=spend] meter")).GetAttribute("max"));
        NoBrowserErrors();
        host.AssertAccessible("the budget-watch dashboard");

        var missing = await host.Api.GetAsync("dashboards/no-such-dashboard");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Browser.Navigate().GoToUrl(new Uri(host.BaseAddress, "hub?view=dashboards&dashboard=no-such-dashboard"));
        DashboardHost.WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-ready"), v => v == "error", "the unknown dashboard's error");
        Assert.Contains("no-such-dashboard", Browser.FindElement(By.Id("status")).Text, StringComparison.Ordinal);
        Assert.All(host.BrowserErrors(), e => Assert.Contains("404", e, StringComparison.Ordinal)); // the refused request, and nothing else
    }

    [Fact]
    public async Task SavedDashboard_EachWidgetShowsTheApisAnswerToItsSavedQuery_OverThePagesRange()
    {
        host.Open("view=dashboards&dashboard=ops&refresh=off&" + host.RangeQuery);
        var range = $"\"time_range\":{{\"start\":\"{DashboardHost.Iso(host.From)}\",\"end\":\"{DashboardHost.Iso(host.To)}\"}}";

        // Line chart: the saved time-series query (p95 in 10-minute windows per model), point by point ("value" is the
        // first aggregation's, as the API names it).
        var latency = await host.PostAsync("timeseries/query", "{\"measurement\":\"llm_latency\"," + range +
            ",\"aggregations\":[{\"function\":{\"percentile\":95},\"window\":\"10m\",\"fields\":[\"latency_ms\"]}],\"group_by\":[\"model_id\"]}");
        var latencyCells = WidgetCells("latency", "value");
        var series = latency.GetProperty("series").EnumerateArray().ToList();
        Assert.True(series.Count >= 3, "models: " + series.Count);
        Assert.Equal(series.Sum(x => x.GetProperty("points").GetArrayLength()), latencyCells.Count);
        Assert.Equal(series.Count, Browser.FindElements(By.CssSelector("section[data-widget=latency] svg path[data-series]")).Count);
        foreach (var s in series)
        {
            var name = "model_id=" + s.GetProperty("tags").GetProperty("model_id").GetString();
            foreach (var point in s.GetProperty("points").EnumerateArray())
            {
                var at = DashboardHost.Iso(DateTimeOffset.Parse(point.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
                var cell = latencyCells[(name, at)];
                if (point.GetProperty("value").ValueKind == JsonValueKind.Null)
                {
                    Assert.Equal(string.Empty, cell);
                }
                else
                {
                    Close(point.GetProperty("value").GetDouble(), Number(cell), $"{name} p95 at {at}");
                }
            }
        }

        // Stat: the number of stored Sentinel events in the range.
        var sentinel = await host.Api.GetFromJsonAsync<JsonElement>("events?source_module=llm-sentinel&per_page=1&" + host.RangeQuery);
        Close(sentinel.GetProperty("pagination").GetProperty("total_items").GetDouble(),
            Value(Browser.FindElement(By.CssSelector("section[data-widget=threats] [data-testid=widget-value]"))), "Sentinel events");

        // Bar chart: cost per model, one bar per model.
        var cost = await host.PostAsync("timeseries/query", "{\"measurement\":\"cost_token\"," + range +
            ",\"aggregations\":[{\"function\":\"sum\",\"fields\":[\"cost_usd\"]}],\"group_by\":[\"model_id\"]}");
        var costCells = WidgetCells("cost", "value");
        foreach (var s in cost.GetProperty("series").EnumerateArray())
        {
            var name = "model_id=" + s.GetProperty("tags").GetProperty("model_id").GetString();
            Close(s.GetProperty("points")[0].GetProperty("value").GetDouble(), Number(costCells.Single(c => c.Key.Series == name).Value), name + " cost");
        }

        Assert.Equal(cost.GetProperty("series").GetArrayLength(), Browser.FindElements(By.CssSelector("section[data-widget=cost] svg.chart rect")).Count);

        // Table of events: errors and worse, the total and the newest ten.
        var errors = await host.Api.GetFromJsonAsync<JsonElement>("events?min_severity=error&per_page=10&" + host.RangeQuery);
        var errorTable = Browser.FindElement(By.CssSelector("section[data-widget=errors] [data-testid=widget-table]"));
        Assert.Equal(errors.GetProperty("pagination").GetProperty("total_items").GetInt64().ToString(CultureInfo.InvariantCulture), errorTable.GetAttribute("data-total"));
        Assert.Equal(
            errors.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()),
            errorTable.FindElements(By.CssSelector("tbody tr")).Select(r => r.GetAttribute("data-event")));

        // Pie chart: one slice per module that has events in the range, each the module's count.
        var rate = await host.GetAsync($"events/rate?bucket_seconds=120&{host.RangeQuery}");
        var byModule = rate.GetProperty("buckets").EnumerateArray().SelectMany(b => b.GetProperty("by_module").EnumerateObject())
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Value.GetDouble()));
        var slices = Browser.FindElements(By.CssSelector("section[data-widget=modules] svg path[data-slice]"));
        Assert.Equal(byModule.Keys.Order(), slices.Select(x => x.GetAttribute("data-slice")).Order());
        var moduleCells = WidgetCells("modules", "events");
        foreach (var (module, count) in byModule)
        {
            Close(count, moduleCells.Where(c => c.Key.Series == module).Sum(c => Number(c.Value)), module + " events");
        }

        // Metric query: hourly latency statistics per model.
        var hourly = await host.PostAsync("metrics/query", "{\"metric_name\":\"llm_latency.latency_ms\"," + range + ",\"window\":\"one_hour\",\"group_by\":[\"model_id\"]}");
        var hourlyCells = WidgetCells("hourly", "p95");
        Assert.Equal(hourly.GetProperty("values").GetArrayLength(), hourlyCells.Count);
        Assert.True(hourlyCells.Count > 0, "no hourly value");
        foreach (var v in hourly.GetProperty("values").EnumerateArray())
        {
            var name = "model_id=" + v.GetProperty("tags").GetProperty("model_id").GetString();
            var at = DashboardHost.Iso(DateTimeOffset.Parse(v.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
            Close(v.GetProperty("p95").GetDouble(), Number(hourlyCells[(name, at)]), $"{name} hourly p95 at {at}");
        }

        Assert.True((bool)((IJavaScriptExecutor)Browser).ExecuteScript("return document.documentElement.scrollWidth <= window.innerWidth;")!, "the dashboard scrolls sideways at 1366 px");
        NoBrowserErrors();
        host.Screenshot("saved-dashboard");
        host.AssertAccessible("the ops dashboard");
    }

    [Fact]
    public async Task AutoRefresh_ShowsNewEvents_NeverOverlaps_AndPausesWhileTheTabIsHidden()
    {
        var js = (IJavaScriptExecutor)Browser;
        int Started() => int.Parse(Browser.FindElement(By.TagName("body")).GetAttribute("data-refresh-started") ?? "0", CultureInfo.InvariantCulture);
        int Done() => int.Parse(Browser.FindElement(By.TagName("body")).GetAttribute("data-refreshes") ?? "0", CultureInfo.InvariantCulture);
        host.Open("view=overview&range=15m&refresh=1");
        var before = Value(Browser.FindElement(By.CssSelector("[data-testid=events-total]")));

        // A new event shows on a refresh, without a reload.
        var id = Guid.NewGuid().ToString();
        await host.PostAsync("events", """
            [{"event_id":"@ID@","timestamp":"@NOW@","source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0",
              "severity":"info","environment":"production","tags":{},
              "payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4o","request_id":"refresh-1","total_latency_ms":80}}}]
            """.Replace("@ID@", id, StringComparison.Ordinal).Replace("@NOW@", DashboardHost.Iso(DateTimeOffset.UtcNow.AddSeconds(-5)), StringComparison.Ordinal));
        DashboardHost.WaitFor(() => Value(Browser.FindElement(By.CssSelector("[data-testid=events-total]"))), v => v == before + 1, "the refreshed count");

        // Slow answers (1.2 s each) with a 1 s interval: one refresh at a time, the next 1 s after the last has ended.
        js.ExecuteScript("""
            const real = window.fetch;
            window.fetch = (...args) => new Promise(r => setTimeout(r, 1200)).then(() => real(...args));
            """);
        var first = Started();
        var deadline = DateTime.UtcNow.AddSeconds(4.5);
        while (DateTime.UtcNow < deadline)
        {
            var started = Started();
            var done = Done();
            Assert.True(started - done <= 1, $"{started} refreshes started, {done} done: two ran at once");
            Thread.Sleep(40);
        }

        var during = Started() - first;
        Assert.InRange(during, 1, 3); // at most one per 2.2 s (1.2 s answer + 1 s pause) over 4.5 s

        // Hidden: no refresh starts; visible again: one starts at once (it is overdue).
        js.ExecuteScript("""
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            document.dispatchEvent(new Event('visibilitychange'));
            """);
        DashboardHost.WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-refresh-running"), v => v == "false", "the running refresh to end", 5);
        var hidden = Started();
        Thread.Sleep(2200);
        Assert.Equal(hidden, Started());
        Assert.Contains("paused", Browser.FindElement(By.CssSelector("[data-testid=refresh-state]")).Text, StringComparison.Ordinal);
        js.ExecuteScript("""
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
            document.dispatchEvent(new Event('visibilitychange'));
            """);
        DashboardHost.WaitFor(Started, n => n > hidden, "a refresh on return", 2);

        // The interval is chosen in the page and kept in the address; off stops it.
        js.ExecuteScript("const s = document.querySelector('select[name=refresh]'); s.value = '30'; s.dispatchEvent(new Event('change'));");
        Assert.Contains("refresh=30", new Uri(Browser.Url).Query, StringComparison.Ordinal);
        js.ExecuteScript("const s = document.querySelector('select[name=refresh]'); s.value = ''; s.dispatchEvent(new Event('change'));");
        Assert.DoesNotContain("refresh=", new Uri(Browser.Url).Query, StringComparison.Ordinal);
        DashboardHost.WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-refresh-running"), v => v == "false", "the last refresh to end", 5);
        var off = Started();
        Thread.Sleep(1500);
        Assert.Equal(off, Started());
        NoBrowserErrors();
    }
}
