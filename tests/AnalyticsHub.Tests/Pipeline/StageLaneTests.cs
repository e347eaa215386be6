using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>Stages of different concurrency groups run at the same time on a batch, and the hub's results stay those of running them in turn.</summary>
public sealed class StageLaneTests
{
    private static readonly HandOff<string> Words = HandOff.Produced("lanes.words", string.Empty);

    [Fact]
    public void Lanes_NoGroups_OneLaneInPipelineOrder()
    {
        var lanes = StageGraph.Lanes(Order(Stage("a"), Stage("b"), Stage("c")));

        Assert.Equal([0, 1, 2], Assert.Single(lanes));
    }

    [Fact]
    public void Lanes_Groups_EachGroupALaneBesideTheMainLane()
    {
        var lanes = StageGraph.Lanes(Order(Stage("a"), Stage("b", group: "g1"), Stage("c"), Stage("d", group: "g1"), Stage("e", group: "g2")));

        Assert.Equal(3, lanes.Length);
        Assert.Equal([0, 2], lanes[0]);
        Assert.Equal([1, 3], lanes[1]);
        Assert.Equal([4], lanes[2]);
    }

    [Theory]
    [InlineData(true, 2, 3)]
    [InlineData(true, 64, 3)]
    [InlineData(true, 1, 1)]
    [InlineData(false, 2, 1)]
    public void Plan_ConcurrencyAndProcessors_LanesOnlyWhenConcurrentOnMoreThanOneProcessor(bool concurrent, int processors, int expected)
    {
        var ordered = Order(Stage("a"), Stage("b", group: "g1"), Stage("c"), Stage("d", group: "g2"));

        var lanes = StageGraph.Plan(ordered, concurrent, processors);

        Assert.Equal(expected, lanes.Length);
        if (expected == 1)
        {
            // One processor, or lanes off: every stage in turn, in pipeline order, as the hub has always run them there.
            Assert.Equal([0, 1, 2, 3], lanes[0]);
        }
        else
        {
            Assert.Equal(StageGraph.Lanes(ordered), lanes);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plan_NoStages_OneEmptyLane(bool concurrent)
    {
        Assert.Empty(Assert.Single(StageGraph.Plan([], concurrent, processors: 2)));
    }

    [Fact]
    public async Task Hub_EveryStageDisabled_StoresAndSettlesEveryEvent()
    {
        await using var provider = Hub(concurrent: true);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync(SampleEvents.Event(SampleEvents.Latency));
        await result.Completion;
        await hub.FlushAsync();

        Assert.Equal(1, hub.Statistics.Stored);
        Assert.Equal(0, hub.Statistics.Failed);
        Assert.Empty(hub.Statistics.StageFailures);
    }

    [Fact]
    public void Lanes_ConsumerInAnotherLane_JoinsItsProducersLane()
    {
        var lanes = StageGraph.Lanes(Order(Stage("speaker", group: "g1", produces: [Words]), Stage("other", group: "g2"), Stage("listener", consumes: [Words]), Stage("main")));

        Assert.Equal(2, lanes.Length);
        Assert.Equal([0, 2, 3], lanes[0]);
        Assert.Equal([1], lanes[1]);
    }

    [Fact]
    public void Lanes_BuiltInStages_TimeSeriesAloneMetricsWithTheStagesReadingItsWindowsAndTheMainLane()
    {
        var (ordered, lanes) = BuiltInLanes(_ => { });

        Assert.Equal(3, lanes.Length);
        Assert.Equal(["time_series"], LaneOf(ordered, lanes, "time_series"));
        Assert.Equal(["metrics", "composite_metrics", "anomalies"], LaneOf(ordered, lanes, "metrics"));
        Assert.Equal(["model_status", "cost", "budgets", "policies", "correlation"], LaneOf(ordered, lanes, "cost"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lanes_BuiltInStagesWithHistogramsOrSummaries_MetricsJoinsTheTimeSeriesLaneWithTheStagesReadingItsWindows(bool histograms)
    {
        // The metrics stage then writes raw points (new series) too: the store must see them in one order with the events' points.
        var (ordered, lanes) = BuiltInLanes(o => (histograms ? o.Metrics.Histograms : o.Metrics.Summaries).Add(new MetricDistributionOptions
        {
            Metric = "llm_latency.latency_ms",
            UpperBounds = histograms ? [100, 1_000] : null,
            Quantiles = histograms ? null : [0.5],
        }));

        Assert.Equal(2, lanes.Length);
        Assert.Equal(["time_series", "metrics", "composite_metrics", "anomalies"], LaneOf(ordered, lanes, "time_series"));
    }

    [Fact]
    public async Task Hub_StagesOfTwoGroups_RunAtTheSameTime()
    {
        // Each stage waits until the other has started: only concurrent lanes finish both.
        var meeting = new Rendezvous(2);
        await using var provider = Hub(concurrent: true, new MeetingStage("left", "g1", meeting), new MeetingStage("right", "g2", meeting));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync(SampleEvents.Event(SampleEvents.Latency));
        await result.Completion;

        Assert.Equal(1, hub.Statistics.Stored);
        Assert.Empty(hub.Statistics.StageFailures);
        Assert.Equal(2, meeting.Arrived);
    }

    [Fact]
    public async Task Hub_ConcurrentStagesOff_RunsEveryStageInTurn()
    {
        var probe = new OverlapProbe();
        await using var provider = Hub(concurrent: false, new ProbeStage("left", "g1", probe), new ProbeStage("right", "g2", probe));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync([SampleEvents.Event(SampleEvents.Latency), SampleEvents.Event(SampleEvents.TokenUsage) with { Common = SampleEvents.Event(SampleEvents.TokenUsage).Common with { EventId = Guid.NewGuid() } }]);
        await result.Completion;

        Assert.Equal(2, hub.Statistics.Stored);
        Assert.Equal(1, probe.MaxRunning);

        // Each stage saw both events, in one batch or two (the reader may take the first before the second is queued).
        Assert.Equal(4, probe.EventsSeen);
    }

    [Fact]
    public async Task Hub_LanesEmitInAnyTimingOrder_DerivedEventsFollowPipelineOrder()
    {
        // The first stage (its own lane) emits last in time; its event still comes first, as if the stages ran in turn.
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new RecordingStage();
        await using var provider = Hub(
            concurrent: true,
            new EmittingStage("first", "g1", "first", waitFor: second.Task, signal: null),
            new EmittingStage("second", "g2", "second", waitFor: null, signal: second),
            recorder);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync(SampleEvents.Event(SampleEvents.Latency));
        await result.Completion;
        await hub.FlushAsync();

        Assert.Equal(3, hub.Statistics.Stored + hub.Statistics.Derived);
        Assert.Equal(2, recorder.Batches.Count);
        Assert.Equal(["derived-first", "derived-second"], recorder.Batches[1].Select(e => ((CustomPayload)e.Payload).Data.GetProperty("from").GetString()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hub_ComputedHandOffWithRelease_ReleasedOnceAfterEveryLaneIsDone(bool concurrent)
    {
        // Two lanes read the value; the slow one still reads it unreleased, and each batch's value is released once, after both.
        var boxes = HandOff.Computed("lanes.box", static batch => new Box(batch.Events.Count), static box => Interlocked.Increment(ref box.Released));
        var fast = new BoxReader("fast", "g1", boxes, delay: TimeSpan.Zero);
        var slow = new BoxReader("slow", "g2", boxes, delay: TimeSpan.FromMilliseconds(50));
        await using var provider = Hub(concurrent, fast, slow);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        foreach (var evt in new[] { SampleEvents.Event(SampleEvents.Latency), SampleEvents.Event(SampleEvents.TokenUsage) })
        {
            var result = await hub.IngestAsync(evt with { Common = evt.Common with { EventId = Guid.NewGuid() } });
            await result.Completion;
        }

        await hub.FlushAsync();

        Assert.Equal(2, fast.Seen.Count);
        Assert.Equal(fast.Seen, slow.Seen);
        Assert.All(fast.Seen, box => Assert.Equal(1, box.Released));
        Assert.Empty(fast.SeenReleased.Concat(slow.SeenReleased));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hub_StageThatWaitsForDerivedEvents_IsCalledAfterTheBatchsDerivedEvents_AndItsOwnGoThroughBeforeTheFlushReturns(bool concurrent)
    {
        var waiting = new WaitingStage();
        await using var provider = Hub(concurrent, new EmittingStage("emitter", "g1", "emitter", waitFor: null, signal: null), waiting);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await hub.IngestAsync(SampleEvents.Event(SampleEvents.Latency));
        await hub.FlushAsync();

        // A second flush is a read of its own with no batch: no call for it.
        await hub.FlushAsync();

        // The batch, the event the emitter derived from it (a round of its own), the call, and what the call emitted.
        Assert.Equal(["event", "lane_test", "after_derived", "waiting_test"], waiting.Log);
    }

    private static (IReadOnlyList<StageNode> Ordered, int[][] Lanes) BuiltInLanes(Action<AnalyticsHubOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub(configure);
        using var provider = services.BuildServiceProvider();
        var ordered = StageGraph.Order(provider.GetServices<IIngestionStage>(), [], new ListLogger());
        return (ordered, StageGraph.Lanes(ordered));
    }

    private static IEnumerable<string> LaneOf(IReadOnlyList<StageNode> ordered, int[][] lanes, string stage) =>
        lanes.Single(lane => lane.Any(i => ordered[i].Name == stage)).Select(i => ordered[i].Name);

    private static StageNode[] Order(params IIngestionStage[] stages) => [.. StageGraph.Order(stages, [], new ListLogger())];

    private static FakeStage Stage(string name, string? group = null, HandOff[]? produces = null, HandOff[]? consumes = null) => new(name, group, produces ?? [], consumes ?? []);

    private static ServiceProvider Hub(bool concurrent, params IIngestionStage[] stages)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.ConcurrentStages = concurrent;
            o.DisabledStages = ["time_series", "metrics", "anomalies", "cost", "budgets", "policies", "model_status", "correlation"];
        });
        foreach (var stage in stages)
        {
            services.AddSingleton(stage);
        }

        return services.BuildServiceProvider();
    }

    private sealed class FakeStage(string name, string? group, HandOff[] produces, HandOff[] consumes) : IIngestionStage
    {
        public string Name => name;

        public string? ConcurrencyGroup => group;

        public IReadOnlyList<HandOff> Produces => produces;

        public IReadOnlyList<HandOff> Consumes => consumes;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Rendezvous(int parties)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public int Arrived => Volatile.Read(ref _arrived);

        public async Task ArriveAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrived) == parties)
            {
                _all.TrySetResult();
            }

            await _all.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    private sealed class MeetingStage(string name, string group, Rendezvous meeting) : IIngestionStage
    {
        public string Name => name;

        public string? ConcurrencyGroup => group;

        public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) => await meeting.ArriveAsync(cancellationToken);
    }

    private sealed class OverlapProbe
    {
        private int _running;
        private int _maxRunning;
        private int _eventsSeen;

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public int EventsSeen => Volatile.Read(ref _eventsSeen);

        public async ValueTask RunAsync(int events)
        {
            var running = Interlocked.Increment(ref _running);
            Interlocked.Add(ref _eventsSeen, events);
            int seen;
            while ((seen = Volatile.Read(ref _maxRunning)) < running && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
            {
            }

            await Task.Delay(50);
            Interlocked.Decrement(ref _running);
        }
    }

    private sealed class ProbeStage(string name, string group, OverlapProbe probe) : IIngestionStage
    {
        public string Name => name;

        public string? ConcurrencyGroup => group;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) => probe.RunAsync(batch.Events.Count);
    }

    /// <summary>Emits one custom event per original (non-derived) event, after <paramref name="waitFor"/>; then sets <paramref name="signal"/>.</summary>
    private sealed class EmittingStage(string name, string group, string tag, Task? waitFor, TaskCompletionSource? signal) : IIngestionStage
    {
        public string Name => name;

        public string? ConcurrencyGroup => group;

        public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            if (waitFor is not null)
            {
                await waitFor.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }

            foreach (var evt in batch.Events)
            {
                if (evt.Payload is CustomPayload)
                {
                    continue;
                }

                batch.Emit(new AnalyticsEvent
                {
                    Common = DerivedEvents.Common(evt, DerivedEvents.Space("lanes-" + tag).FromParent(evt.EventId), EventType.Audit, Severity.Info, new Dictionary<string, string>()),
                    Payload = new CustomPayload { CustomType = "lane_test", Data = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["from"] = "derived-" + tag }) },
                });
            }

            signal?.TrySetResult();
        }
    }

    private sealed class Box(int count)
    {
        public int Count => count;

        public int Released;
    }

    /// <summary>Reads a computed hand-off after <paramref name="delay"/>; records each value and any it found already released.</summary>
    private sealed class BoxReader(string name, string group, HandOff<Box> boxes, TimeSpan delay) : IIngestionStage
    {
        public List<Box> Seen { get; } = [];

        public List<Box> SeenReleased { get; } = [];

        public string Name => name;

        public string? ConcurrencyGroup => group;

        public IReadOnlyList<HandOff> Consumes => [boxes];

        public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            var box = batch.Get(boxes);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            Seen.Add(box);
            if (Volatile.Read(ref box.Released) != 0 || box.Count != batch.Events.Count)
            {
                SeenReleased.Add(box);
            }
        }
    }

    /// <summary>Logs what it sees and when the pipeline says a batch's derived events are in; emits one event then.</summary>
    private sealed class WaitingStage : IIngestionStage, IWaitsForDerivedEvents
    {
        public List<string> Log { get; } = [];

        public string Name => "waiting";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var evt in batch.Events)
            {
                Log.Add(evt.Payload is CustomPayload custom ? custom.CustomType : "event");
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask ProcessAfterDerivedAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Log.Add("after_derived");
            if (Log.Count == 3)
            {
                batch.Emit(new AnalyticsEvent
                {
                    Common = DerivedEvents.Common(DerivedEvents.Space("waiting").FromName("once"), SampleEvents.Now, EventType.Audit, Severity.Info, "production", new Dictionary<string, string>(), null, null),
                    Payload = new CustomPayload { CustomType = "waiting_test", Data = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string>()) },
                });
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Records every batch it sees (main lane, last).</summary>
    private sealed class RecordingStage : IIngestionStage
    {
        public List<AnalyticsEvent[]> Batches { get; } = [];

        public string Name => "recorder";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Batches.Add([.. batch.Events]);
            return ValueTask.CompletedTask;
        }
    }
}
