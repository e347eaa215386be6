using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>The scope of a model-level volume episode: the region that carried its rise, decided at its onset.</summary>
public class VolumeEpisodeScopeTests
{
    private const int Minutes = 260;
    private const int RiseStart = 200;
    private const int RiseMinutes = 20;
    private const string RequestCount = "count(llm_latency.latency_ms)";
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddMinutes(-Minutes - 10);

    /// <summary>The regions of one model and their usual requests a minute: two busy regions and a quiet one.</summary>
    private static readonly (string Region, int Rate)[] Regions = [("us-east-1", 30), ("eu-west-1", 30), ("us-west-2", 12)];

    /// <summary>
    /// Requests of one model in three regions; from <see cref="RiseStart"/> for <see cref="RiseMinutes"/> minutes each
    /// region's rate is <paramref name="rise"/> of its region and usual rate.
    /// </summary>
    /// <remarks>With <paramref name="slowExtra"/>, the requests beyond a region's usual rate take 600 ms instead of about 220.</remarks>
    private static List<AnalyticsEvent> Stream(Func<string, int, int> rise, bool slowExtra = false)
    {
        var random = new Random(28);
        var events = new List<AnalyticsEvent>();
        var n = 0;
        for (var minute = 0; minute < Minutes; minute++)
        {
            foreach (var (region, rate) in Regions)
            {
                var requests = (minute is >= RiseStart and < RiseStart + RiseMinutes ? rise(region, rate) : rate) + random.Next(-3, 4);
                for (var k = 0; k < requests; k++)
                {
                    n++;
                    events.Add(new AnalyticsEvent
                    {
                        Common = new CommonEventFields
                        {
                            EventId = new Guid(n, 5, 5, 1, 2, 3, 4, 5, 6, 7, 8),
                            Timestamp = Start.AddMinutes(minute).AddSeconds(k * 59.0 / requests),
                            SourceModule = SourceModule.LlmObservatory,
                            EventType = EventType.Telemetry,
                            Severity = Severity.Info,
                            Environment = "production",
                            Tags = new Dictionary<string, string> { ["region"] = region },
                        },
                        Payload = new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r" + n, TotalLatencyMs = slowExtra && k >= rate ? 600 : 200 + (random.NextDouble() * 40) },
                    });
                }
            }
        }

        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    /// <summary>The open and close events of the model's request-count episodes.</summary>
    private static Task<List<AnalyticsEvent>> RequestCountEpisodesAsync(List<AnalyticsEvent> events) => LatencyEpisodesAsync(events, "count");

    /// <summary>The open and close events of the model's episodes of its latency's <paramref name="statistic"/> (count: its requests).</summary>
    private static async Task<List<AnalyticsEvent>> LatencyEpisodesAsync(List<AnalyticsEvent> events, string statistic)
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
        return [.. page.Events.Where(e => e.Payload is CustomPayload { CustomType: "anomaly" } && e.Common.Tags.GetValueOrDefault("metric") == "llm_latency.latency_ms"
            && e.Common.Tags.GetValueOrDefault("statistic") == statistic)];
    }

    [Fact]
    public async Task ModelRise_CarriedByOneRegion_IsScopedToThatRegion()
    {
        // One tenant's extra traffic in eu-west-1 (as a leaked key's): the model's requests rise by 40 a minute, all there.
        var episodes = await RequestCountEpisodesAsync(Stream((region, rate) => region == "eu-west-1" ? rate + 40 : rate));

        var rising = episodes.Where(e => DateTimeOffset.Parse(e.Common.Tags["episode_start"], System.Globalization.CultureInfo.InvariantCulture) == Start.AddMinutes(RiseStart)).ToList();
        Assert.Equal(2, rising.Count);
        Assert.All(rising, e =>
        {
            Assert.Equal("gpt-4o", e.Common.Tags["model_id"]);
            Assert.Equal("eu-west-1", e.Common.Tags.GetValueOrDefault("region"));
        });
        Assert.Equal(RequestCount, rising.Select(e => ((CustomPayload)e.Payload).Data.GetProperty("metric").GetString()).Distinct().Single());
    }

    [Fact]
    public async Task ModelRise_InProportionToEveryRegionsTraffic_StaysModelWide()
    {
        // A surge that doubles every region's traffic (the quiet region too): the rise is the model's, in every region.
        var episodes = await RequestCountEpisodesAsync(Stream((_, rate) => rate * 2));

        var rising = episodes.Where(e => DateTimeOffset.Parse(e.Common.Tags["episode_start"], System.Globalization.CultureInfo.InvariantCulture) == Start.AddMinutes(RiseStart)).ToList();
        Assert.Equal(2, rising.Count);
        Assert.All(rising, e => Assert.False(e.Common.Tags.ContainsKey("region") || e.Common.Tags.ContainsKey("rise_regions")));
    }

    [Fact]
    public async Task ModelRise_CarriedByTwoRegions_ABusyRegionBarelyMoving_NamesTheTwo()
    {
        // A surge whose tenants call the model in us-east-1 and us-west-2 doubles both, while the busy eu-west-1 gains
        // two requests a minute (its usual 30 Poisson-like ±3): the rise is the model's in two regions, not concentrated in
        // one, so the episode stays model-wide and lists the two regions that carried it.
        var episodes = await RequestCountEpisodesAsync(Stream((region, rate) => region == "eu-west-1" ? rate + 2 : rate * 2));

        var rising = episodes.Where(e => DateTimeOffset.Parse(e.Common.Tags["episode_start"], System.Globalization.CultureInfo.InvariantCulture) == Start.AddMinutes(RiseStart)).ToList();
        Assert.Equal(2, rising.Count);
        Assert.All(rising, e =>
        {
            Assert.False(e.Common.Tags.ContainsKey("region"));
            Assert.Equal("us-east-1,us-west-2", e.Common.Tags.GetValueOrDefault("rise_regions"));
        });
    }

    [Fact]
    public async Task ModelMeanRise_WhereTheModelsRequestsRoseInOneRegion_IsScopedToThatRegion()
    {
        // The extra traffic in eu-west-1 is slow (a leaked key's long prompts): the model's mean latency rises with its
        // requests there, so its episode names the same region as the request count's.
        var episodes = await LatencyEpisodesAsync(Stream((region, rate) => region == "eu-west-1" ? rate + 40 : rate, slowExtra: true), "mean");

        var rising = episodes.Where(e => DateTimeOffset.Parse(e.Common.Tags["episode_start"], System.Globalization.CultureInfo.InvariantCulture) is var start
            && start >= Start.AddMinutes(RiseStart) && start < Start.AddMinutes(RiseStart + RiseMinutes)).ToList();
        Assert.NotEmpty(rising);
        Assert.All(rising, e => Assert.Equal("eu-west-1", e.Common.Tags.GetValueOrDefault("region")));
    }
}
