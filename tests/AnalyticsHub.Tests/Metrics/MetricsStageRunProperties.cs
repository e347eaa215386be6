using System.Diagnostics.Metrics;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage.InMemory;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>The <c>metrics</c> stage records a batch's values as runs per series: how the events are cut into batches changes nothing.</summary>
public sealed class MetricsStageRunProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["m0", "m1", "m2"];

    /// <summary>
    /// The same events, in the same order, cut into batches at random places (batches of one included), give the same
    /// closed windows in the same order, bit for bit (statistics' stored parts, sketch bytes), and the same count of late values:
    /// latency, token-usage and compliance-check events (the last feed a cross-module input), over several minutes, some
    /// out of order beyond the allowed lateness.
    /// </summary>
    [Property(MaxTest = 40)]
    public async Task Process_AnyCutIntoBatches_SameClosedWindows(int seed, ushort length, int cutSeed)
    {
        var events = Events(seed, 1 + (length % 1_500));
        var cuts = new Random(cutSeed);
        var whole = await RunAsync(events, () => events.Length);
        var cut = await RunAsync(events, () => 1 + cuts.Next(40));
        var single = await RunAsync(events, () => 1);

        Assert.Equal(whole, cut);
        Assert.Equal(whole, single);
    }

    /// <summary>
    /// Latency and token-usage events with the same tags share one tag set instance (the extractor's), under two
    /// measurements: the stage's cache of metric keys by measurement and tag set instance keeps their series apart, and
    /// the closed-window list it hands on is its own, emptied only when the next batch reaches the stage.
    /// </summary>
    [Fact]
    public async Task Process_OneTagSetUnderTwoMeasurements_KeepsTheirSeriesApart()
    {
        var events = new List<AnalyticsEvent>();
        for (var i = 0; i < 30; i++)
        {
            EventPayload payload = i % 3 == 0
                ? new TokenUsageMetrics { ModelId = "m0", RequestId = "r", PromptTokens = 10, CompletionTokens = 5, TotalTokens = 15 }
                : new LatencyMetrics { ModelId = "m0", RequestId = "r", TotalLatencyMs = 100 + i };
            events.Add(new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = Guid.NewGuid(),
                    Timestamp = T0.AddSeconds(i),
                    SourceModule = SourceModule.LlmObservatory,
                    EventType = AnalyticsEventFactory.DefaultEventType(payload),
                    Severity = Severity.Info,
                    Environment = "production",
                },
                Payload = payload,
            });
        }

        using var meter = new HubMeter();
        var stage = new MetricsStage(new MetricsStageOptions(), new InMemoryTimeSeriesStore(), meter, NullLogger<MetricsStage>.Instance);
        var first = new IngestionBatch([.. events]);
        await stage.ProcessAsync(first, default);
        Assert.Empty(first.Get(MetricsHandOffs.ClosedWindows));
        var last = new IngestionBatch([]);
        await stage.CompleteAsync(last, default);
        var windows = last.Get(MetricsHandOffs.ClosedWindows);

        var minute = windows.Where(w => w.Window == TimeWindow.OneMinute).ToDictionary(w => w.Series.Name, w => w.Stats.Count);
        Assert.Equal(20UL, minute["llm_latency.latency_ms"]);
        Assert.Equal(10UL, minute["llm_token_usage.prompt_tokens"]);
        Assert.DoesNotContain("llm_latency.prompt_tokens", minute.Keys);
        Assert.DoesNotContain("llm_token_usage.latency_ms", minute.Keys);

        // The list is the batch's while it goes through the stages; the next batch empties it before recording.
        var count = windows.Count;
        Assert.True(count > 0);
        await stage.ProcessAsync(new IngestionBatch([]), default);
        Assert.Empty(windows);
    }

    /// <summary>
    /// Two stages take the same batches in turn, so every tag set's remembered metric keys (the hint a stage leaves on
    /// it) are the other stage's when a stage comes back to it: each stage hands on exactly the windows it hands on alone.
    /// </summary>
    [Property(MaxTest = 25)]
    public async Task Process_TwoStagesTakingTurns_SameClosedWindowsAsEachAlone(int seed, ushort length, int cutSeed)
    {
        var events = Events(seed, 1 + (length % 1_000));
        var cuts = new Random(cutSeed);
        var sizes = new List<int>();
        for (var total = 0; total < events.Length; total += sizes[^1])
        {
            sizes.Add(1 + cuts.Next(30));
        }

        var alone = await RunAsync(events, SizesInTurn(sizes));
        using var meter = new HubMeter();
        var first = new MetricsStage(new MetricsStageOptions(), new InMemoryTimeSeriesStore(), meter, NullLogger<MetricsStage>.Instance);
        var second = new MetricsStage(new MetricsStageOptions(), new InMemoryTimeSeriesStore(), meter, NullLogger<MetricsStage>.Instance);
        var (handedFirst, handedSecond) = (new List<string>(), new List<string>());
        var start = 0;
        foreach (var size in sizes)
        {
            var end = Math.Min(events.Length, start + size);
            var batchFirst = new IngestionBatch(events[start..end]);
            var batchSecond = new IngestionBatch(events[start..end]);
            await first.ProcessAsync(batchFirst, default);
            await second.ProcessAsync(batchSecond, default);
            Collect(batchFirst, handedFirst);
            Collect(batchSecond, handedSecond);
            start = end;
        }

        var (lastFirst, lastSecond) = (new IngestionBatch([]), new IngestionBatch([]));
        await first.CompleteAsync(lastFirst, default);
        await second.CompleteAsync(lastSecond, default);
        Collect(lastFirst, handedFirst);
        Collect(lastSecond, handedSecond);

        alone.RemoveAt(alone.Count - 1); // the late count: not read here
        Assert.Equal(alone, handedFirst);
        Assert.Equal(alone, handedSecond);
    }

    private static Func<int> SizesInTurn(List<int> sizes)
    {
        var next = 0;
        return () => sizes[next++];
    }

    private static AnalyticsEvent[] Events(int seed, int count)
    {
        var random = new Random(seed);
        var events = new AnalyticsEvent[count];
        var time = T0;
        for (var i = 0; i < count; i++)
        {
            time = time.AddMilliseconds(random.Next(0, 1_500));
            var model = Models[random.Next(Models.Length)];
            EventPayload payload = random.Next(10) switch
            {
                < 6 => new LatencyMetrics { ModelId = model, RequestId = "r", TotalLatencyMs = Math.Round(ValueSets.LogNormal(random, 200, 0.9), 1), TtftMs = random.Next(5, 90) },
                < 9 => new TokenUsageMetrics { ModelId = model, RequestId = "r", PromptTokens = (uint)random.Next(1, 900), CompletionTokens = 50, TotalTokens = 0 },
                _ => new ComplianceCheckEvent { CheckId = "c", Framework = "soc2", Passed = random.Next(3) != 0, Score = random.NextDouble() },
            };
            if (payload is TokenUsageMetrics usage)
            {
                payload = usage with { TotalTokens = usage.PromptTokens + usage.CompletionTokens };
            }

            events[i] = new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = Guid.NewGuid(),
                    Timestamp = random.Next(12) == 0 ? time.AddSeconds(-random.Next(0, 150)) : time,
                    SourceModule = payload is ComplianceCheckEvent ? SourceModule.LlmGovernanceDashboard : SourceModule.LlmObservatory,
                    EventType = AnalyticsEventFactory.DefaultEventType(payload),
                    Severity = Severity.Info,
                    Environment = random.Next(2) == 0 ? "production" : "staging",
                    Tags = new Dictionary<string, string> { ["tenant"] = "t" + random.Next(4) },
                },
                Payload = payload,
            };
        }

        return events;
    }

    /// <summary>Every window the stage hands on, in order, with its statistics as bits and its sketch's bytes; then the late values counted.</summary>
    private static async Task<List<string>> RunAsync(AnalyticsEvent[] events, Func<int> batchSize)
    {
        using var meter = new HubMeter();
        long late = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter.Meter) && instrument.Name == "analyticshub.metrics.skipped_values")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "late" })
                {
                    late += value;
                }
            }
        });
        listener.Start();
        var stage = new MetricsStage(new MetricsStageOptions(), new InMemoryTimeSeriesStore(), meter, NullLogger<MetricsStage>.Instance);
        var handed = new List<string>();
        for (var start = 0; start < events.Length;)
        {
            var end = Math.Min(events.Length, start + batchSize());
            var batch = new IngestionBatch(events[start..end]);
            await stage.ProcessAsync(batch, default);
            Collect(batch, handed);
            start = end;
        }

        var last = new IngestionBatch([]);
        await stage.CompleteAsync(last, default);
        Collect(last, handed);
        handed.Add($"{late} late");
        return handed;
    }

    private static void Collect(IngestionBatch batch, List<string> into)
    {
        // The sketches are lent until the next batch starts: read them now.
        foreach (var window in batch.Get(MetricsHandOffs.ClosedWindows))
        {
            into.Add($"{window.Series} {window.Window} {window.Start:O} {StreamingStatsProperties.Bits(window.Stats)} {Convert.ToBase64String(window.Sketch.ToBinary())}");
        }
    }
}
