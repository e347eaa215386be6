// The hub compiled ahead of time: ingest producer JSON and typed events, follow a live subscription, query events
// and exact percentiles. Every step checks its result, so a trimmed-away converter or a reflection path that AOT
// broke fails the run (exit code 1) rather than printing something plausible.
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddAnalyticsHub(o => o.Ingestion.MaxBatchSize = 64);
await using var provider = services.BuildServiceProvider();
var hub = provider.GetRequiredService<IAnalyticsHub>();
await hub.StartAsync();

// A live subscription to warnings and worse, made before anything is ingested.
await using var live = hub.Subscribe(new EventQuery { MinSeverity = Severity.Warning });
var warnings = ReadFramesAsync(live, expected: 10);

// 100 latency events as NDJSON, the way a producer in another language sends them; every tenth is an error.
var observatory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production");
var start = DateTimeOffset.UtcNow.AddMinutes(-5);
var ndjson = new StringBuilder();
for (var i = 0; i < 100; i++)
{
    var evt = observatory.Create(
        new LatencyMetrics { ModelId = i % 2 == 0 ? "gpt-4o" : "claude-sonnet-4", RequestId = $"r{i}", TotalLatencyMs = 100 + i },
        severity: i % 10 == 9 ? Severity.Error : Severity.Info,
        timestamp: start.AddSeconds(i));
    ndjson.Append(AnalyticsEventJson.Serialize(evt)).Append('\n');
}

var result = await hub.IngestJsonAsync(Encoding.UTF8.GetBytes(ndjson.ToString()));
var final = await result.Completion;
Check(final.Count(r => r.Status == EventItemStatus.Stored) == 100, $"stored {final.Count(r => r.Status == EventItemStatus.Stored)} of 100");

// A malformed line is refused with its problems, and nothing of it is stored.
var bad = await hub.IngestJsonAsync("{\"severity\":\"urgent\"}"u8.ToArray());
Check(bad.Items is [{ Status: EventItemStatus.Invalid, Problems.Count: > 0 }], "the malformed event was not refused");
await hub.FlushAsync();

var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmObservatory], MinSeverity = Severity.Error });
Check(page.TotalItems == 10, $"error events: {page.TotalItems}, expected 10");

var latency = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
{
    Measurement = "llm_latency",
    TimeRange = new TimeRange(start, start.AddMinutes(5)),
    Aggregations =
    [
        new Aggregation { Function = AggregationFunction.Count, Fields = ["latency_ms"] },
        new Aggregation { Function = AggregationFunction.ForPercentile(50), Fields = ["latency_ms"] },
    ],
    GroupBy = ["model_id"],
});
var series = latency.Result?.Series ?? throw new InvalidOperationException(string.Join("; ", latency.Errors.Select(e => e.Message)));
Check(series.Count == 2, $"latency series: {series.Count}, expected 2");
foreach (var s in series)
{
    var values = s.Points[0].Values;
    Console.WriteLine($"{s.Tags["model_id"],-16} requests {values["latency_ms_count"]}  p50 {values["latency_ms_p50"]} ms");
}

var frames = await warnings.WaitAsync(TimeSpan.FromSeconds(10));
Check(frames == 10, $"live frames: {frames}, expected 10");
Console.WriteLine($"stored 100, refused 1, 10 errors queried and 10 seen live: AOT run OK");
await hub.StopAsync();
return 0;

static async Task<int> ReadFramesAsync(IEventSubscription subscription, int expected)
{
    var seen = 0;
    await foreach (var frame in subscription)
    {
        if (frame.Data is { Severity: >= Severity.Warning } && ++seen == expected)
        {
            break;
        }
    }

    return seen;
}

static void Check(bool condition, string failure)
{
    if (!condition)
    {
        Console.Error.WriteLine("AOT sample failed: " + failure);
        Environment.Exit(1);
    }
}
