using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// The pooled series of a metric (every model of the module and environment together): independent noise on the same
/// series opens no episode of it (docs/anomalies.md, "Issue 28: a weak shift that many models share"; the hand-built
/// shared rise of 16 → 20 and 16 → 24 requests a minute on ten models opened none either, see there).
/// </summary>
public class SharedShiftTests
{
    private const int Minutes = 300;
    private const int ShiftStart = 200;
    private const int ShiftMinutes = 40;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);
    private static readonly string[] Models = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"];

    /// <summary>About 16 requests a minute for each of ten models (Poisson), every one multiplied by <paramref name="factor"/> for 40 minutes from minute 200.</summary>
    private static List<AnalyticsEvent> Stream(double factor, int seed)
    {
        var random = new Random(seed);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            var shifted = minute is >= ShiftStart and < ShiftStart + ShiftMinutes;
            foreach (var model in Models)
            {
                var requests = SyntheticSeries.Poisson(random, 16 * (shifted ? factor : 1.0));
                for (var k = 0; k < requests; k++)
                {
                    n++;
                    events.Add(new AnalyticsEvent
                    {
                        Common = new CommonEventFields
                        {
                            EventId = new Guid(n, 28, 30, 1, 2, 3, 4, 5, 6, 7, 8),
                            Timestamp = Start.AddMinutes(minute).AddSeconds(59.0 * k / requests),
                            SourceModule = SourceModule.LlmObservatory,
                            EventType = EventType.Telemetry,
                            Severity = Severity.Info,
                            Environment = "production",
                        },
                        Payload = new LatencyMetrics { ModelId = model, RequestId = "r" + n, TotalLatencyMs = 180 + (random.NextDouble() * 40) },
                    });
                }
            }
        }

        return events;
    }

    /// <summary>The request-count episodes the hub opens on <paramref name="events"/>: their model, or "pooled" for the series of every model.</summary>
    private static async Task<List<string>> RequestCountEpisodesAsync(List<AnalyticsEvent> events, bool poolModels)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.Anomalies.PoolModels = poolModels;
        });
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        foreach (var chunk in events.Chunk(997))
        {
            await hub.IngestAsync(chunk);
        }

        await hub.FlushAsync();
        var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], Subtype = "anomaly", PerPage = 1000 });
        return
        [
            .. page.Events
                .Where(e => e.Payload is CustomPayload { CustomType: "anomaly" } && e.Common.Tags["anomaly_phase"] == "open"
                    && e.Common.Tags["statistic"] == "count")
                .Select(e => e.Common.Tags.GetValueOrDefault("model_id") ?? "pooled"),
        ];
    }

    [Theory]
    [InlineData(28)]
    [InlineData(29)]
    public async Task IndependentNoiseOnTheSameSeries_OpensNoEpisodeOfThePooledSeries(int seed)
    {
        var pooled = await RequestCountEpisodesAsync(Stream(1.0, seed), poolModels: true);

        Assert.DoesNotContain("pooled", pooled);
    }
}
