using System.Globalization;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Samples.Quickstart;
using Microsoft.Extensions.DependencyInjection;

// The AnalyticsHub tour: register the hub, replay two and a half hours of realistic multi-module LLM traffic with
// one incident (a deploy regresses a model's latency; errors, retries and cost follow), then read
// back what the hub made of it.

var scenario = QuickstartScenario.Create(TimeProvider.System);
var services = new ServiceCollection();
services.AddAnalyticsHub(o => QuickstartScenario.ConfigureCost(o.Cost, scenario));
await using var provider = services.BuildServiceProvider();
var hub = provider.GetRequiredService<IAnalyticsHub>();
await hub.StartAsync(); // without a generic host, the hub starts when asked (samples/GenericHost lets the host do it)

await using var live = hub.Subscribe(new AnalyticsHub.Storage.EventQuery { MinSeverity = Severity.Warning });
var liveExcerpt = LiveExcerpt.CollectAsync(live, count: 5);

var clock = System.Diagnostics.Stopwatch.StartNew();
var replayed = await QuickstartScenario.ReplayAsync(hub, scenario);
await hub.FlushAsync();
var elapsed = clock.Elapsed;

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"AnalyticsHub quickstart — {scenario.Config.Name}: {scenario.Start:HH:mm}–{scenario.End:HH:mm} UTC");
report.AppendLine(CultureInfo.InvariantCulture, $"Replayed {replayed:N0} events in {elapsed.TotalSeconds:F2} s ({replayed / elapsed.TotalSeconds:N0} events/s).");
report.AppendLine();
await Report.IngestionAsync(report, hub);
await Report.LatencyByModelAsync(report, hub, scenario);
await Report.CostByModelAsync(report, hub, scenario);
await Report.BudgetsAsync(report, hub, provider.GetRequiredService<AnalyticsHub.Cost.ICostMonitor>());
await Report.RejectedExamplesAsync(report, hub);
await Report.LatestWarningsAsync(report, hub);
await Report.AnomaliesAsync(report, hub);
Report.LiveStream(report, await liveExcerpt);
Report.Incidents(report, await Report.FoundIncidentsAsync(hub, scenario), scenario.GroundTruth);
Console.Write(report.ToString());
