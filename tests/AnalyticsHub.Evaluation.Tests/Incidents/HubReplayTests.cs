using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

/// <summary>
/// Replay through the whole hub: the same generated events, cut into different batches (each cut a flush, so the
/// pipeline's reader sees exactly those batches and the derived events of the anomalies, cost and policy stages land
/// at different places in the stream), give the same <c>correlation</c> and <c>anomaly_correlation</c> events, byte
/// for byte.
/// </summary>
public class HubReplayTests
{
    /// <summary>The simulator's six templates with the hard tier's delivery knobs (late roots, duplicates, skewed clocks, distractors).</summary>
    private static readonly List<AnalyticsEvent> Events = Scenarios.Run(Scenarios.AllTemplates() with
    {
        DurationHours = 3,
        Knobs = new ScenarioKnobs
        {
            EffectSize = 1.5,
            Noise = 1.0,
            LagJitter = 0.5,
            Distractors = 2,
            DecoyDeploy = true,
            LateRootSeconds = 180,
            DuplicateRate = 0.01,
            ClockSkew =
            [
                new ModuleClockSkew { Module = "llm-sentinel", Seconds = 75 },
                new ModuleClockSkew { Module = "llm-cost-ops", Seconds = -30 },
            ],
        },
    }, out _);

    [Fact]
    public async Task LifecycleStreams_DoNotDependOnBatchBoundaries()
    {
        var reference = await LifecycleAsync(_ => 1_024);
        Assert.NotEmpty(reference);
        Assert.Contains(reference.Values, stream => stream.Count > 2);

        // Random batch sizes from one event up to one pipeline batch (Ingestion.MaxBatchSize, 1,024), so the reader sees
        // exactly these batches: evidence, the anomalies stage's episodes and the watermark meet at other points of the
        // stream than in the reference. A larger chunk is split by the reader where timing decides, and a batch that
        // spans more event time than half the correlation stage's allowed lateness delivers derived evidence late
        // (docs/correlation.md, "Replay and batch boundaries").
        var random = new Random(20261206);
        var cut = await LifecycleAsync(_ => random.Next(1, 1_025));
        Assert.Equal(reference.Keys.Order(), cut.Keys.Order());
        foreach (var (id, stream) in reference)
        {
            Assert.Equal(stream, cut[id]);
        }
    }

    /// <summary>
    /// Runs the hub over <see cref="Events"/> in chunks of the sizes <paramref name="nextSize"/> gives, flushing after each,
    /// and returns per incident its lifecycle and analysis events (their JSON, in the order the stage emitted them).
    /// </summary>
    private static async Task<Dictionary<Guid, List<string>>> LifecycleAsync(Func<int, int> nextSize)
    {
        var clock = new FakeTimeProvider(Scenarios.End);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = 1_000_000, MaxAge = null }, clock);
        services.AddSingleton<IEventStore>(store);
        services.AddAnalyticsHub(_ => { });
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        for (var start = 0; start < Events.Count;)
        {
            var size = Math.Min(nextSize(start), Events.Count - start);
            await hub.IngestAsync(Events.GetRange(start, size));
            await hub.FlushAsync();
            start += size;
        }

        await hub.StopAsync();
        var streams = new Dictionary<Guid, List<string>>();
        foreach (var evt in HubIncidentEngine.ReadResults(store).Derived)
        {

            if (evt.Payload is CustomPayload { CustomType: "correlation" or "anomaly_correlation" } && evt.Common.CorrelationId is { } id)
            {
                if (!streams.TryGetValue(id, out var stream))
                {
                    streams[id] = stream = [];
                }

                stream.Add(AnalyticsEventJson.Serialize(evt));
            }
        }

        return streams;
    }
}
