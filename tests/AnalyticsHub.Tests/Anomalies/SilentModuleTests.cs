using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// A minute in which a series' module delivered nothing is missing data, not a minute of zero: a <c>sum</c> series is
/// filled with zero only for the minutes its module delivered anything in (<see cref="ModuleDelivery"/>).
/// </summary>
public class SilentModuleTests
{
    private const int Minutes = 300;
    private const int SilenceStart = 200;
    private const int SilenceMinutes = 40;
    private const int CostsPerMinute = 30;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    /// <summary>
    /// Per minute, one latency event (llm-observatory, so event time keeps moving) and <see cref="CostsPerMinute"/> token
    /// costs (llm-cost-ops) for each of two models; in the silence, <paramref name="silent"/> says which models' costs
    /// are not delivered.
    /// </summary>
    private static List<AnalyticsEvent> Stream(Func<string, bool> silent)
    {
        var random = new Random(28);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            var inSilence = minute is >= SilenceStart and < SilenceStart + SilenceMinutes;
            events.Add(Event(++n, Start.AddMinutes(minute), SourceModule.LlmObservatory, new LatencyMetrics { ModelId = "a", RequestId = "r" + n, TotalLatencyMs = 200 }));
            for (var k = 0; k < CostsPerMinute; k++)
            {
                foreach (var model in (string[])["a", "b"])
                {
                    n++;
                    if (inSilence && silent(model))
                    {
                        continue;
                    }

                    var usd = 0.01 + (random.NextDouble() * 0.002);
                    events.Add(Event(n, Start.AddMinutes(minute).AddSeconds(1 + (k * 55.0 / CostsPerMinute)), SourceModule.LlmCostOps, new TokenCostEvent
                    {
                        ModelId = model, RequestId = "r" + n, PromptTokens = 10, CompletionTokens = 10, TotalTokens = 20,
                        CostPerPromptToken = 0.0005, CostPerCompletionToken = 0.0005, TotalCostUsd = usd, Currency = "USD",
                    }));
                }
            }
        }

        return [.. events.OrderBy(e => e.Timestamp)];
    }

    private static AnalyticsEvent Event(int n, DateTimeOffset at, SourceModule module, EventPayload payload) => new()
    {
        Common = new CommonEventFields
        {
            EventId = new Guid(n, 2, 8, 1, 2, 3, 4, 5, 6, 7, 8),
            Timestamp = at,
            SourceModule = module,
            EventType = AnalyticsEventFactory.DefaultEventType(payload),
            CorrelationId = new Guid(n, 2, 6, 1, 2, 3, 4, 5, 6, 7, 8),
            Severity = Severity.Info,
            Environment = "production",
            Tags = new Dictionary<string, string> { ["region"] = "eu-west" },
        },
        Payload = payload,
    };

    /// <summary>The episodes' open events of the spend series, ingested through a hub that watches only spend.</summary>
    private static async Task<List<AnomalyEvent>> SpendOpeningsAsync(List<AnalyticsEvent> events)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.Anomalies.Series = [new AnomalySeriesRule { Metric = "cost_token.cost_usd", Statistic = AnomalyStatistic.Sum }];
        });
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        foreach (var chunk in events.Chunk(997))
        {
            Assert.Equal(chunk.Length, (await hub.IngestAsync(chunk)).AcceptedCount);
        }

        await hub.FlushAsync();
        var page = await hub.QueryEventsAsync(new EventQuery
        {
            SourceModules = [SourceModule.LlmAnalyticsHub],
            EventTypes = [EventType.Alert],
            Tags = new Dictionary<string, string> { ["anomaly_phase"] = "open" },
            PerPage = 1000,
        });
        return
        [
            .. page.Events
                .Where(e => e.Payload is CustomPayload { CustomType: "anomaly" })
                .Select(e => ((CustomPayload)e.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!),
        ];
    }

    [Fact]
    public async Task Hub_SpendOfAModuleSilentFor40Minutes_OpensNoEpisode()
    {
        var openings = await SpendOpeningsAsync(Stream(silent: _ => true));

        Assert.Empty(openings);
    }

    [Fact]
    public async Task Hub_OneModelsSpendDropsToZeroWhileItsModuleKeepsDelivering_OpensAnEpisodeOnThatModelOnly()
    {
        var openings = await SpendOpeningsAsync(Stream(silent: model => model == "a"));

        var opening = Assert.Single(openings);
        Assert.Equal("sum(cost_token.cost_usd)", opening.Metric);
        Assert.Equal(Start.AddMinutes(SilenceStart), opening.Timestamp);
        Assert.Equal(0, opening.Observed);
    }
}
