using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnalyticsHub.Metadata;
using AnalyticsHub.Samples.WebHost;
using Deque.AxeCore.Commons;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AnalyticsHub.Dashboard.Tests;

/// <summary>
/// The sample web host on 127.0.0.1 (a port of its own) with a short simulator scenario replayed, and one headless
/// Chromium session, shared by the browser tests. Without Debian's chromium and chromium-driver it fails, never skips.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private string? _scenarioPath;

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public ChromeDriver Browser { get; private set; } = null!;

    /// <summary>The explicit range the views are opened with: the whole replay and a little around it.</summary>
    public DateTimeOffset From { get; private set; }

    public DateTimeOffset To { get; private set; }

    public long Replayed { get; private set; }

    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public string RangeQuery => "from=" + Iso(From) + "&to=" + Iso(To);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        foreach (var path in new[] { Chromium, ChromeDriver })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: the dashboard's browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them).");
            }
        }

        // Two hours of three tenants' traffic with one strong deploy regression, ending at the last Wednesday 16:00 UTC:
        // a busy hour, and the same seed, config and end give the same events, so every run sees the same incidents.
        var today = DateTimeOffset.UtcNow.Date;
        var end = new DateTimeOffset(today.AddDays(-(((int)today.DayOfWeek - (int)DayOfWeek.Wednesday + 7) % 7 + 7)).AddHours(16), TimeSpan.Zero);
        _scenarioPath = Path.Combine(Path.GetTempPath(), $"analyticshub-dashboard-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_scenarioPath, """
            {
              "name": "dashboard-tests", "seed": 33, "duration_hours": 2, "nightly_batch": false, "end": "@END@",
              "world": { "tenants": 3, "users_per_tenant": 10, "peak_requests_per_second": 1.5 },
              "incidents": [ { "template": "deploy_regression", "start_minutes": 60, "duration_minutes": 30, "effect_size": 2 } ],
              "knobs": { "noise": 0.5, "lag_jitter": 0 }
            }
            """.Replace("@END@", Iso(end), StringComparison.Ordinal));
        App = SampleApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--replay", _scenarioPath,
            "--Logging:LogLevel:Default=Warning",
            "--AnalyticsHub:Cost:Budgets:0:Id=all-daily",
            "--AnalyticsHub:Cost:Budgets:0:Name=All tenants, daily",
            "--AnalyticsHub:Cost:Budgets:0:LimitUsd=100",
            "--AnalyticsHub:Cost:Budgets:0:Period=Day",
            "--AnalyticsHub:Cost:Budgets:1:Id=tenant-01-daily",
            "--AnalyticsHub:Cost:Budgets:1:LimitUsd=50",
            "--AnalyticsHub:Cost:Budgets:1:Period=Day",
            "--AnalyticsHub:Cost:Budgets:1:Tenant=tenant-01",
        ]);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Api = new HttpClient { BaseAddress = new Uri(BaseAddress, "api/v1/") };
        Replayed = await App.Services.GetRequiredService<SimulatorReplay>().Completion.WaitAsync(TimeSpan.FromSeconds(60));
        From = end.AddHours(-2).AddMinutes(-5);
        To = end.AddMinutes(5);
        await SaveDashboardsAsync(App.Services.GetRequiredService<MetadataRegistry>());

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
        Browser.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(20);
        Browser.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        Browser?.Quit();
        Browser?.Dispose();
        Api?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (_scenarioPath is not null)
        {
            File.Delete(_scenarioPath);
        }
    }

    /// <summary>Opens the dashboard with the query and waits for the view to finish loading; fails on an error or a browser log error.</summary>
    public void Open(string query)
    {
        Browser.Navigate().GoToUrl(new Uri(BaseAddress, "hub?" + query));
        string? ready;
        try
        {
            ready = WaitFor(() => Browser.FindElement(By.TagName("body")).GetAttribute("data-ready"), v => v is "true" or "error", "the view to load");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "; browser log: " + string.Join(" | ", Browser.Manage().Logs.GetLog(LogType.Browser).Select(l => l.Message)), e);
        }

        if (ready == "error")
        {
            throw new Xunit.Sdk.XunitException("The view reported: " + Browser.FindElement(By.Id("status")).Text);
        }
    }

    /// <summary>Browser log entries of level SEVERE (script errors, refused by the Content-Security-Policy, failed requests).</summary>
    public IReadOnlyList<string> BrowserErrors() =>
        [.. Browser.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>
    /// Runs axe-core (the copy embedded in Deque.AxeCore.Commons, injected into the page: nothing is downloaded) on the
    /// open view and fails on any violation of a WCAG 2.0, 2.1 or 2.2 rule of level A or AA.
    /// </summary>
    public void AssertAccessible(string what)
    {
        var js = (IJavaScriptExecutor)Browser;
        if (!(bool)js.ExecuteScript("return typeof window.axe === 'object';")!)
        {
            js.ExecuteScript(AxeScript.Value);
        }

        var answer = (string)js.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
              .then(r => done(JSON.stringify({ rules: r.passes.length + r.violations.length + r.incomplete.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary) })) })))
              .catch(e => done(JSON.stringify({ error: String(e) })));
            """)!;
        using var result = JsonDocument.Parse(answer);
        Assert.False(result.RootElement.TryGetProperty("error", out var error), $"axe-core failed on {what}: {error}");
        Assert.True(result.RootElement.GetProperty("rules").GetInt32() > 10, $"axe-core ran only {result.RootElement.GetProperty("rules")} rules on {what}");
        var violations = result.RootElement.GetProperty("violations");
        Assert.True(violations.GetArrayLength() == 0, $"WCAG A/AA violations on {what}: {violations}");
    }

    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>The saved dashboards the tests open: <c>ops</c> (six widgets over every hub source and most chart types) and <c>budget-watch</c>.</summary>
    private static async Task SaveDashboardsAsync(MetadataRegistry registry)
    {
        var range = new JsonObject { ["start"] = "2026-01-01T00:00:00Z", ["end"] = "2026-01-02T00:00:00Z" };
        var ops = Dashboard("ops", "LLM operations", "Latency, threats, cost and the modules' traffic.", "grid", 12, 90, 60, "last_24h",
            Widget("latency", "p95 latency per model", "line_chart", [0, 0, 8, 3], "metrics", new JsonObject
            {
                ["measurement"] = "llm_latency", ["time_range"] = range.DeepClone(), ["group_by"] = new JsonArray("model_id"),
                ["aggregations"] = new JsonArray(new JsonObject { ["function"] = new JsonObject { ["percentile"] = 95 }, ["window"] = "10m", ["fields"] = new JsonArray("latency_ms") }),
            }),
            Widget("threats", "Sentinel events", "stat", [8, 0, 4, 1], "events", new JsonObject { ["source_modules"] = new JsonArray("llm-sentinel") }),
            Widget("cost", "Cost per model (USD)", "bar_chart", [8, 1, 4, 2], "metrics", new JsonObject
            {
                ["measurement"] = "cost_token", ["time_range"] = range.DeepClone(), ["group_by"] = new JsonArray("model_id"),
                ["aggregations"] = new JsonArray(new JsonObject { ["function"] = "sum", ["fields"] = new JsonArray("cost_usd") }),
            }),
            Widget("errors", "Errors and worse", "table", [0, 3, 6, 2], "events", new JsonObject { ["min_severity"] = "error", ["per_page"] = 10 }),
            Widget("modules", "Events by module", "pie_chart", [6, 3, 6, 2], "events", new JsonObject()),
            Widget("hourly", "Latency per model, hourly", "table", [0, 5, 12, 2], "metrics", new JsonObject
            {
                ["metric_name"] = "llm_latency.latency_ms", ["time_range"] = range.DeepClone(), ["window"] = "one_hour", ["group_by"] = new JsonArray("model_id"),
            }));
        var budget = Dashboard("budget-watch", "Budget watch", null, "flex", 2, 120, 300, "the quarter",
            Widget("spend", "Hub-priced spend (USD)", "gauge", [0, 0, 1, 1], "metrics", new JsonObject
            {
                ["measurement"] = "cost_token", ["time_range"] = range.DeepClone(), ["tag_filters"] = new JsonObject { ["source_module"] = "llm-analytics-hub" },
                ["aggregations"] = new JsonArray(new JsonObject { ["function"] = "sum", ["fields"] = new JsonArray("cost_usd") }),
            }, axes: new JsonObject
            {
                ["x_axis"] = new JsonObject { ["label"] = "", ["scale"] = "linear", ["min"] = null, ["max"] = null },
                ["y_axis"] = new JsonObject { ["label"] = "USD", ["scale"] = "linear", ["min"] = 0, ["max"] = 100 },
            }),
            Widget("invoices", "Billing errors", "table", [1, 0, 1, 1], "logs", "service:billing level:error"));
        foreach (var json in new[] { ops, budget })
        {
            var dashboard = JsonSerializer.Deserialize(json.ToJsonString(), MetadataJsonContext.Default.DashboardConfig)!;
            var saved = await registry.Dashboards.CreateAsync(dashboard);
            Assert.True(saved.IsSuccess, "the test dashboard is refused: " + string.Join("; ", saved.Problems.Select(p => p.Path + ": " + p.Message)));
        }
    }

    private static JsonObject Dashboard(string id, string name, string? description, string layout, int columns, int rowHeight, int refresh, string defaultRange, params JsonObject[] widgets) => new()
    {
        ["dashboard_id"] = id, ["name"] = name, ["description"] = description,
        ["layout"] = new JsonObject { ["layout_type"] = layout, ["columns"] = columns, ["row_height"] = rowHeight },
        ["widgets"] = new JsonArray([.. widgets]),
        ["refresh_interval"] = refresh, ["default_time_range"] = defaultRange,
        ["owner"] = new JsonObject { ["user_id"] = "u-1", ["username"] = "ops", ["email"] = null, ["team"] = null, ["department"] = null },
        ["visibility"] = new JsonObject { ["visibility"] = "public" },
        ["created_at"] = "2026-01-01T00:00:00Z", ["updated_at"] = "2026-01-01T00:00:00Z",
    };

    /// <summary>A widget at [x, y, width, height]; a hub source's query is the JSON of the object, another's the text.</summary>
    private static JsonObject Widget(string id, string title, string type, int[] position, string source, object query, JsonObject? axes = null)
    {
        var visualization = new JsonObject { ["options"] = new JsonObject(), ["color_scheme"] = null, ["show_legend"] = true };
        if (axes is not null)
        {
            visualization["axes"] = axes;
        }

        return new JsonObject
        {
            ["widget_id"] = id, ["title"] = title, ["widget_type"] = type,
            ["position"] = new JsonObject { ["x"] = position[0], ["y"] = position[1], ["width"] = position[2], ["height"] = position[3] },
            ["data_source"] = new JsonObject
            {
                ["source_type"] = source, ["query"] = query is JsonObject json ? json.ToJsonString() : (string)query, ["refresh_interval"] = null, ["parameters"] = new JsonObject(),
            },
            ["visualization"] = visualization, ["settings"] = new JsonObject(),
        };
    }

    public void Screenshot(string name) => Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));

    public static T WaitFor<T>(Func<T> read, Func<T, bool> done, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            T value;
            try
            {
                value = read();
            }
            catch (Exception e) when (e is NoSuchElementException or StaleElementReferenceException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
                continue;
            }

            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}; last seen: {value}");
            }

            Thread.Sleep(50);
        }
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, path + ": " + body);
        return body.GetProperty("data");
    }

    public async Task<JsonElement> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Api.PostAsync(path, content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, path + ": " + body);
        return body.GetProperty("data");
    }
}
