using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// The share of a slow move of traffic: a request count that follows a slow rise of every model's traffic (a daily
/// ramp) is no anomaly; one that rises alone, or with a step of all traffic (a surge), is, through the episode rules
/// and through the hub (docs/anomalies.md, "Issue 28: a request count that follows a slow move of all traffic").
/// </summary>
public class SlowTrafficMoveTests
{
    private const int Minutes = 300;
    private const int MoveStart = 120;
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);
    private static readonly string[] Models = ["alpha", "beta", "gamma"];

    /// <summary>
    /// About 100, 150 and 200 requests a minute for three models (Poisson), each multiplied from minute 120 by
    /// <paramref name="multiplier"/>(model, minutes since 120). Latencies stay at 200 ms ± 20.
    /// </summary>
    private static List<AnalyticsEvent> Stream(Func<string, int, double> multiplier)
    {
        var random = new Random(28);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            for (var m = 0; m < Models.Length; m++)
            {
                var rate = 50.0 * (m + 2) * (minute < MoveStart ? 1.0 : multiplier(Models[m], minute - MoveStart));
                var requests = SyntheticSeries.Poisson(random, rate);
                for (var k = 0; k < requests; k++)
                {
                    n++;
                    events.Add(new AnalyticsEvent
                    {
                        Common = new CommonEventFields
                        {
                            EventId = new Guid(n, 28, 29, 1, 2, 3, 4, 5, 6, 7, 8),
                            Timestamp = Start.AddMinutes(minute).AddSeconds(59.0 * k / requests),
                            SourceModule = SourceModule.LlmObservatory,
                            EventType = EventType.Telemetry,
                            Severity = Severity.Info,
                            Environment = "production",
                        },
                        Payload = new LatencyMetrics { ModelId = Models[m], RequestId = "r" + n, TotalLatencyMs = 180 + (random.NextDouble() * 40) },
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
        foreach (var chunk in events.Chunk(997))
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
                .Select(e => e.Common.Tags["model_id"])
                .Distinct()
                .Order(StringComparer.Ordinal),
        ];
    }

    private sealed class OpenedEpisodes : IAnomalyEpisodeSink
    {
        public int Count { get; private set; }

        public void Opened(AnomalyEpisode episode) => Count++;

        public void Closed(AnomalyEpisode episode)
        {
        }
    }

    /// <summary>
    /// The episodes the stage's rules (the default detector, two windows, evidence by volume at 3) report on a request
    /// count that keeps a fifth of its metric's traffic (a quarter of the rest, rounded), the rest of which is <paramref name="rest"/>(minute) requests
    /// a minute (Poisson); with <paramref name="toldTheRest"/> the tracker's evidence is told the rest, as the stage does.
    /// </summary>
    private static int EpisodesOfACountThatKeepsItsShare(Func<int, double> rest, bool toldTheRest)
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Count);
        var tracker = new AnomalyEpisodeTracker(
            new DefaultAnomalyDetector(), AnomalyDetectorOptions.DefaultThreshold, TimeSpan.FromMinutes(5), Severity.Warning, 2, evidence, 3);
        var sink = new OpenedEpisodes();
        var random = new Random(28);
        for (var minute = 0; minute < Minutes; minute++)
        {
            var others = SyntheticSeries.Poisson(random, rest(minute));
            if (toldTheRest)
            {
                evidence.ObserveRestOfTraffic(others);
            }

            var start = Start.UtcTicks + (minute * TimeSpan.TicksPerMinute);
            var own = (int)Math.Round(others / 4.0);
            tracker.Add(start, start + TimeSpan.TicksPerMinute, own, VolumeEvidenceTests.Requests(own, 0), sink);
            evidence.ForgetRestOfTraffic();
        }

        return sink.Count;
    }

    [Fact]
    public void RequestCountThatFollowsASlowRiseOfAllTraffic_OpensNoEpisode_WhenTheEvidenceKnowsTheRest()
    {
        // The rest of traffic (about 400 requests a minute) rises by 0.3 % a minute for three hours (about 1.7 times), a
        // daily ramp, and the count keeps its share of it: judged against the detector's expected value alone the rise
        // is an episode; judged also against its share of a slowly moving traffic it is none.
        static double Ramp(int minute) => 400 * Math.Pow(1.003, Math.Max(0, minute - MoveStart));

        Assert.True(EpisodesOfACountThatKeepsItsShare(Ramp, toldTheRest: false) > 0);
        Assert.Equal(0, EpisodesOfACountThatKeepsItsShare(Ramp, toldTheRest: true));
    }

    [Fact]
    public void RequestCountThatFollowsAStepOfAllTraffic_OpensAnEpisode_EvenWhenTheEvidenceKnowsTheRest()
    {
        // All traffic doubles within five minutes (a surge): no slow move, so the count is judged as before.
        static double Step(int minute) => 400 * (1 + Math.Clamp((minute - MoveStart) / 5.0, 0, 1));

        Assert.True(EpisodesOfACountThatKeepsItsShare(Step, toldTheRest: true) > 0);
    }

    [Fact]
    public async Task Hub_RequestCountsThatFollowAStepOfAllTraffic_OpenEpisodes()
    {
        // Every model's traffic doubles within five minutes and stays so for an hour (a surge): a change of all
        // traffic, which the share of a slow move does not excuse.
        var models = await RequestCountEpisodesAsync(Stream((_, t) => t < 60 ? 1 + Math.Min(t, 5) / 5.0 : 1.0));

        Assert.Equal(Models, models);
    }

    [Fact]
    public async Task Hub_RequestCountThatRisesSlowlyAlone_OpensAnEpisodeOnItsModel()
    {
        // One model's traffic rises by 0.3 % a minute, the others' stay: its share moves.
        var models = await RequestCountEpisodesAsync(Stream((model, t) => model == "alpha" ? Math.Pow(1.003, t) : 1.0));

        Assert.Equal(["alpha"], models);
    }
}
