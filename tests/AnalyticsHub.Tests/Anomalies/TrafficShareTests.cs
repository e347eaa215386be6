using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// The share of traffic through the hub: a request count that rises with every model's (the traffic of its metric) is
/// no anomaly, one that rises alone is (docs/anomalies.md, "The share of traffic").
/// </summary>
public class TrafficShareTests
{
    private const int Minutes = 300;
    private const int StepStart = 200;
    private const int StepMinutes = 30;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    /// <summary>
    /// 8 to 12 requests a minute for each of three models; from minute 200 for 30 minutes three times as many for the
    /// models in <paramref name="stepping"/>. Latencies stay at 200 ms ± 20.
    /// </summary>
    private static List<AnalyticsEvent> Stream(params string[] stepping)
    {
        var random = new Random(28);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            foreach (var model in (string[])["alpha", "beta", "gamma"])
            {
                var stepped = stepping.Contains(model) && minute is >= StepStart and < StepStart + StepMinutes;
                var requests = (stepped ? 3 : 1) * random.Next(8, 13);
                for (var k = 0; k < requests; k++)
                {
                    n++;
                    events.Add(new AnalyticsEvent
                    {
                        Common = new CommonEventFields
                        {
                            EventId = new Guid(n, 28, 28, 1, 2, 3, 4, 5, 6, 7, 8),
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

    /// <summary>The models of the request-count episodes the hub opens on <paramref name="events"/>.</summary>
    private static async Task<List<string>> RequestCountEpisodesAsync(List<AnalyticsEvent> events)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        foreach (var chunk in events.Chunk(211))
        {
            await hub.IngestAsync(chunk);
        }

        await hub.FlushAsync();
        var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], PerPage = 1000 });
        return
        [
            .. page.Events
                .Where(e => e.Payload is CustomPayload { CustomType: "anomaly" } && e.Common.Tags["anomaly_phase"] == "open"
                    && e.Common.Tags["statistic"] == "count")
                .Select(e => e.Common.Tags["model_id"]),
        ];
    }

    [Fact]
    public async Task Hub_RequestCountThatRisesWithEveryModel_OpensNoEpisode()
    {
        var models = await RequestCountEpisodesAsync(Stream("alpha", "beta", "gamma"));

        Assert.Empty(models);
    }

    [Fact]
    public async Task Hub_RequestCountThatRisesAlone_OpensAnEpisodeOnItsModel()
    {
        var models = await RequestCountEpisodesAsync(Stream("alpha"));

        Assert.Equal(["alpha"], models);
    }
}
