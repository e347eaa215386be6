using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AnalyticsHub.Samples.WebHost;
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

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
        Browser.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(20);
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
            catch (NoSuchElementException) when (DateTime.UtcNow < deadline)
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
