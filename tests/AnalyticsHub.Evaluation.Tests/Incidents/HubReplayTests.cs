using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

/// <summary>
/// Replay through the whole hub: the same generated events, cut into different batches (each cut a flush, so the
/// pipeline's reader sees exactly those batches and the derived events of the anomalies, cost and policy stages land
/// at different places in the stream), give the same <c>correlation</c> and <c>anomaly_correlation</c> events, byte
/// for byte. Each run lets the reader take a chunk whole (<see cref="MaxBatchSize"/>), so a batch may span far more
/// event time than the correlation stage's allowed lateness (10 minutes; this stream carries about 3,000 events in 5).
/// </summary>
public class HubReplayTests
{
    /// <summary>The pipeline's batch limit in these runs: above every cut, so the reader forms exactly the cut's batches.</summary>
    private const int MaxBatchSize = 16_384;

    /// <summary>The simulator's six templates with the hard tier's delivery knobs (late roots, duplicates, skewed clocks, distractors).</summary>
    private static readonly List<AnalyticsEvent> Events = Generate(hours: 3);

    /// <summary>The first hour of the same scenario (the incidents that end within it), for the property's many runs.</summary>
    private static readonly List<AnalyticsEvent> Hour = Generate(hours: 1);

    /// <summary><see cref="Hour"/> in pipeline batches of the default size (1,024), the property's reference.</summary>
    private static readonly Lazy<Dictionary<Guid, List<string>>> HourReference = new(() => LifecycleAsync(Hour, _ => 1_024).GetAwaiter().GetResult());

    private static List<AnalyticsEvent> Generate(int hours) => Scenarios.Run(Scenarios.AllTemplates() with
    {
        DurationHours = hours,
        Incidents = [.. Scenarios.AllTemplates().Incidents.Where(incident => incident.StartMinutes + incident.DurationMinutes <= hours * 60)],
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
        var reference = await LifecycleAsync(Events, _ => 1_024);
        Assert.NotEmpty(reference);
        Assert.Contains(reference.Values, stream => stream.Count > 2);

        // Random batch sizes from one event up to 8,000 (about 13 minutes of this stream): evidence, the anomalies
        // stage's episodes and the time bound meet at other points of the stream than in the reference, and a batch
        // may span more event time than the allowed lateness (docs/correlation.md, "Replay and batch boundaries").
        var random = new Random(20261206);
        var cut = await LifecycleAsync(Events, _ => random.Next(1, 8_001));
        AssertSame(reference, cut);
    }

    /// <summary>
    /// Any cut of an hour of the stream into batches of 1 to 8,000 events (the largest spans more event time than the
    /// allowed lateness) gives the reference's lifecycle events, byte for byte.
    /// </summary>
    [Property(MaxTest = 4)]
    public Property LifecycleStreams_AnyCut_EqualTheDefaultBatches() =>
        Prop.ForAll(Gen.NonEmptyListOf(Gen.Choose(1, 8_000)).Select(sizes => sizes.ToArray()).ToArbitrary(), sizes =>
        {
            var next = 0;
            var cut = LifecycleAsync(Hour, _ => sizes[next++ % sizes.Length]).GetAwaiter().GetResult();
            AssertSame(HourReference.Value, cut);
        });

    private static void AssertSame(Dictionary<Guid, List<string>> reference, Dictionary<Guid, List<string>> cut)
    {
        Assert.Equal(reference.Keys.Order(), cut.Keys.Order());
        foreach (var (id, stream) in reference)
        {
            Assert.Equal(stream, cut[id]);
        }
    }

    /// <summary>
    /// Runs the hub over <paramref name="events"/> in chunks of the sizes <paramref name="nextSize"/> gives, flushing after each,
    /// and returns per incident its lifecycle and analysis events (their JSON, in the order the stage emitted them).
    /// </summary>
    private static async Task<Dictionary<Guid, List<string>>> LifecycleAsync(List<AnalyticsEvent> events, Func<int, int> nextSize)
    {
        var clock = new FakeTimeProvider(Scenarios.End);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = 1_000_000, MaxAge = null }, clock);
        services.AddSingleton<IEventStore>(store);
        services.AddAnalyticsHub(o => o.Ingestion.MaxBatchSize = MaxBatchSize);
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        for (var start = 0; start < events.Count;)
        {
            var size = Math.Min(nextSize(start), events.Count - start);
            await hub.IngestAsync(events.GetRange(start, size));
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
