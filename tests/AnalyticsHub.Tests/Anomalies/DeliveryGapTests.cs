using System.Globalization;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// A delivery gap (minutes in which nothing at all was delivered) is missing data for an episode: it neither ends an open
/// episode nor counts as a normal minute, and an episode still raised when the data returns goes on
/// (<see cref="AnomalyEpisodeTracker"/>, <see cref="ModuleDelivery"/>). That holds for a series whose value is a property
/// of each event (a mean latency); a volume series (a count) is what the gap disturbs, and its episode ends on event time.
/// </summary>
public class DeliveryGapTests
{
    private const int Minutes = 300;
    private const int FaultStart = 200;
    private const int FaultMinutes = 40;
    private const int GapStart = 220;
    private const int GapMinutes = 5;
    private const int RequestsPerMinute = 20;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    /// <summary>
    /// Per minute, <see cref="RequestsPerMinute"/> latency events of one model (about 200 ms; four times that during the
    /// fault), and nothing at all in the delivery gap when <paramref name="withGap"/>. With
    /// <paramref name="volumeFault"/> the fault is four times the requests instead, each of the usual latency.
    /// </summary>
    private static List<AnalyticsEvent> Stream(bool withGap, bool volumeFault = false)
    {
        var random = new Random(26);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            var inGap = withGap && minute is >= GapStart and < GapStart + GapMinutes;
            var inFault = minute is >= FaultStart and < FaultStart + FaultMinutes;
            var requests = RequestsPerMinute * (inFault && volumeFault ? 4 : 1);
            for (var k = 0; k < requests; k++)
            {
                n++;
                if (inGap)
                {
                    continue;
                }

                var latency = (200 + (random.NextDouble() * 40) - 20) * (inFault && !volumeFault ? 4 : 1);
                events.Add(Event(n, Start.AddMinutes(minute).AddSeconds(1 + (k * 55.0 / requests)), new LatencyMetrics { ModelId = "a", RequestId = "r" + n, TotalLatencyMs = latency }));
            }
        }

        return events;
    }

    private static AnalyticsEvent Event(int n, DateTimeOffset at, EventPayload payload) => new()
    {
        Common = new CommonEventFields
        {
            EventId = new Guid(n, 2, 6, 1, 2, 3, 4, 5, 6, 7, 8),
            Timestamp = at,
            SourceModule = SourceModule.LlmObservatory,
            EventType = AnalyticsEventFactory.DefaultEventType(payload),
            CorrelationId = new Guid(n, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8),
            Severity = Severity.Info,
            Environment = "production",
            Tags = new Dictionary<string, string> { ["region"] = "eu-west" },
        },
        Payload = payload,
    };

    /// <summary>
    /// The episodes' events of the latency series (phase, episode start, episode end), through a hub that watches only
    /// latency, by its <paramref name="statistic"/>.
    /// </summary>
    private static async Task<List<(string Phase, string Start, string? End)>> EpisodesAsync(List<AnalyticsEvent> events, AnomalyStatistic statistic = AnomalyStatistic.Mean)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.Anomalies.Series = [new AnomalySeriesRule { Metric = "llm_latency.latency_ms", Statistic = statistic }];
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
            PerPage = 1000,
        });
        return
        [
            .. page.Events
                .Where(e => e.Payload is CustomPayload { CustomType: "anomaly" })
                .OrderBy(e => e.Timestamp)
                .Select(e => (e.Common.Tags["anomaly_phase"], e.Common.Tags["episode_start"], e.Common.Tags.GetValueOrDefault("episode_end"))),
        ];
    }

    [Fact]
    public async Task Hub_ALatencyFaultAcrossAFiveMinuteDeliveryGap_IsOneEpisodeToItsEnd()
    {
        var episodes = await EpisodesAsync(Stream(withGap: true));

        Assert.Equal(["open", "close"], episodes.Select(e => e.Phase));
        var close = episodes[1];
        Assert.Equal(Start.AddMinutes(FaultStart), DateTimeOffset.Parse(close.Start, CultureInfo.InvariantCulture));
        Assert.Equal(Start.AddMinutes(FaultStart + FaultMinutes), DateTimeOffset.Parse(close.End!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Hub_TheSameFaultWithoutAGap_IsTheSameEpisode()
    {
        var episodes = await EpisodesAsync(Stream(withGap: false));

        Assert.Equal(["open", "close"], episodes.Select(e => e.Phase));
        Assert.Equal(Start.AddMinutes(FaultStart + FaultMinutes), DateTimeOffset.Parse(episodes[1].End!, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A volume fault (four times the requests) across the same gap: the count's episode ends at the gap, on event time,
    /// as it would without the rule that holds a mean's episode (its values after the gap are no evidence that the
    /// episode before it went on). Under the fortieth round's rule alone it was one episode to the fault's end.
    /// </summary>
    [Fact]
    public async Task Hub_AVolumeFaultAcrossAFiveMinuteDeliveryGap_EndsItsEpisodeAtTheGap()
    {
        var episodes = await EpisodesAsync(Stream(withGap: true, volumeFault: true), AnomalyStatistic.Count);

        Assert.Equal("open", episodes[0].Phase);
        Assert.Equal(Start.AddMinutes(FaultStart), DateTimeOffset.Parse(episodes[0].Start, CultureInfo.InvariantCulture));
        var close = episodes.First(e => e.Phase == "close");
        Assert.Equal(Start.AddMinutes(FaultStart), DateTimeOffset.Parse(close.Start, CultureInfo.InvariantCulture));
        Assert.Equal(Start.AddMinutes(GapStart), DateTimeOffset.Parse(close.End!, CultureInfo.InvariantCulture));
    }
}
