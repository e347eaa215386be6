using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// <c>hub-ingest [events] [rounds] [hub|nots|nometrics|nocorrelation|ts|tsload|tsquery|failing|composite|region|store] [gc]</c>: a quick wall-clock harness for the pinned mix (for profiling, next to
/// <c>HubIngestBenchmarks</c>): the hub with every stage, the hub without the time-series stage, and the
/// time-series stage's own work split into point extraction and store writes, in batches of 1,000.
/// </summary>
/// <remarks>
/// <para>
/// Every hub run has the pinned mix's 10 active policies (<see cref="PinnedMixWorkload.AddActivePoliciesAsync"/>). Per
/// stage it prints the time the hub's <c>analyticshub.stage.duration</c> histogram recorded, then their sum beside the
/// wall time: stages of different lanes run at the same time, so the sum may exceed the wall time.
/// </para>
/// <para>
/// <c>gc</c> after the mode adds, after each hub run, what the collector saw (<see cref="GcProfile"/>): the bytes each
/// collection promoted out of gen0 and gen1 and the sampled allocation by type, per event; the bytes each stage
/// allocated (<see cref="StageAllocation"/>) and what was allocated outside the stages; and, after the process's first
/// hub run, the heap the hub keeps after a full, compacting collection, per event. Every run prints its collections. The runtime's events cost time: read its
/// per-stage times and wall time only from runs without it.
/// </para>
/// <para>
/// <c>store</c> appends the events alone to a fresh in-memory event store in batches of 1,000 (the hub's default
/// store settings but a cap of twice the events), after validating each: bytes allocated and kept per event by
/// validation and by the store, the main lane's share that no stage reports.
/// </para>
/// <para>
/// <c>nocorrelation</c> runs, in each round, the hub with every stage and then without the <c>correlation</c> stage, and
/// prints the throughput ratio and the bytes per event the stage allocates (issue 26's cost targets, by difference).
/// </para>
/// <para>
/// <c>failing</c> times, in the same round, the hub with every stage against the same hub plus a stage that throws on
/// every batch (<see cref="AlwaysFailingStage"/>), with the default retries and circuit breaker. Both first ingest a
/// warm-up of a tenth of the events (at least 20,000, other ids), so the failing stage's breaker has opened before
/// the clock starts and the ratio shows its steady cost; the breaker's state and counts are printed after each run.
/// </para>
/// <para>
/// <c>region</c> runs, in each round, the hub with every stage at the default metric dimensions and then with
/// <c>region</c> added to them (<see cref="MetricsStageOptions.Dimensions"/>): what the finer metric and detection series
/// cost per stage.
/// </para>
/// <para>
/// <c>composite</c> measures what one composite metric over 3 inputs costs per ingested event (issue 38's target,
/// ≤ 0.2 µs): each round runs the hub without cross-module metrics plus <see cref="BenchComposite"/> (per model; region
/// kept as a metric dimension, over 2,000 metric series, as in <c>CompositeMetricBenchmarks</c>) and reads the
/// <c>composite_metrics</c> stage's own time from the hub's stage-duration histogram. Composites are evaluated only in
/// that stage, so its total time ÷ the events is the composite's cost per ingested event, with no A/B difference to
/// take. It prints per round that figure and the <c>metrics</c> stage's beside it, then the median and range over the
/// rounds; the composite's stored values are counted so a composite that never ran fails. With 2 rounds or more, a last
/// run with the stage off gives the bytes the composite allocates per event (beside the last round's).
/// </para>
/// </remarks>
internal static class HubIngestCommand
{
    private const int Batch = 1_000;
    private static bool s_gcProfile;
    private static bool s_keptMeasured;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var only = args.Length > 2 ? args[2] : null;
        s_gcProfile = args.Length > 3 && args[3] == "gc";
        if (only is "tsquery")
        {
            TimeQueries(count, rounds);
            return 0;
        }

        if (only is "tsload")
        {
            TimeLowCardinality(count, rounds);
            return 0;
        }

        Console.WriteLine(GcMode());
        var now = DateTimeOffset.UtcNow;
        var events = PinnedMixWorkload.Create(count, now);
        if (only is "store")
        {
            for (var round = 0; round < rounds; round++)
            {
                TimeEventStore(events);
            }

            return 0;
        }

        if (only is "composite")
        {
            await TimeCompositeAsync(events, rounds).ConfigureAwait(false);
            return 0;
        }

        if (only is "failing")
        {
            var warmupCount = Math.Max(count / 10, 20_000);
            var warmup = PinnedMixWorkload.Create(warmupCount, now - TimeSpan.FromMilliseconds(10.0 * count), seed: 7);
            for (var round = 0; round < rounds; round++)
            {
                var baseline = await TimeHubAsync(events, null, warmup, failingStage: false).ConfigureAwait(false);
                Report("hub, every stage", count, baseline);
                var failing = await TimeHubAsync(events, null, warmup, failingStage: true).ConfigureAwait(false);
                Report("hub + always-failing stage", count, failing);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput with the failing stage: {baseline.Item1 / failing.Item1:F3}x the hub without it"));
            }

            return 0;
        }

        if (only is "region")
        {
            // Same-round A/B: the default metric dimensions, then region added to them (finer metric and detection series).
            for (var round = 0; round < rounds; round++)
            {
                Report("hub, every stage", count, await TimeHubAsync(events, null, null, failingStage: false).ConfigureAwait(false));
                Report("hub, region a dimension", count, await TimeHubAsync(events, null, null, failingStage: false,
                    static o => o.Metrics.Dimensions = [.. MetricsStageOptions.DefaultDimensions, "region"]).ConfigureAwait(false));
            }

            return 0;
        }

        for (var round = 0; round < rounds; round++)
        {
            if (only is null or "hub")
            {
                Report("hub, every stage", count, await TimeHubAsync(events, null, null, failingStage: false).ConfigureAwait(false));
            }

            if (only is "nocorrelation")
            {
                // The correlation stage's cost by difference, in the same round: throughput ratio and bytes per event.
                var with = await TimeHubAsync(events, null, null, failingStage: false).ConfigureAwait(false);
                Report("hub, every stage", count, with);
                var without = await TimeHubAsync(events, ["correlation"], null, failingStage: false).ConfigureAwait(false);
                Report("hub without correlation", count, without);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  with correlation: {without.Item1 / with.Item1:F3}x the throughput without it, {(with.Item2 - without.Item2) / (double)count:F0} B/event more"));
            }

            if (only is "nometrics")
            {
                Report("hub without metrics", count, await TimeHubAsync(events, ["metrics", "anomalies"], null, failingStage: false).ConfigureAwait(false));
            }

            if (only is null or "nots")
            {
                Report("hub without time_series", count, await TimeHubAsync(events, ["time_series"], null, failingStage: false).ConfigureAwait(false));
            }

            if (only is null or "ts")
            {
                var (extract, write, rewrite) = TimeTimeSeries(events);
                Report("  extract points", count, extract);
                Report("  store writes", count, write);
                Report("  again, series exist", count, rewrite);
            }
        }

        return 0;
    }

    /// <summary>
    /// The collector this process runs (<c>DOTNET_gcServer</c>, <c>DOTNET_gcConcurrent</c> or the project's settings
    /// choose it): hosts run different ones (docs/hosting.md, "The collector a host runs"), so every figure names its own.
    /// </summary>
    internal static string GcMode() => string.Create(CultureInfo.InvariantCulture,
        $"gc: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}, {Environment.ProcessorCount} cores");

    private static void Report(string name, int count, (TimeSpan Elapsed, long Bytes) measured) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-26} {measured.Elapsed.TotalMicroseconds / count,8:F2} µs/event {count / measured.Elapsed.TotalSeconds / 1000,8:F0} k/s {measured.Bytes / (double)count,8:F0} B/event  GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (cumulative gen0/1/2)"));

    /// <summary>The time-series ingest benchmark's workload (600 series, batches of 10,000) for a same-run comparison.</summary>
    private static void TimeLowCardinality(int count, int rounds)
    {
        var workload = TimeSeries.TimeSeriesWorkload.Create(count);
        var batches = new TimeSeriesPoint[count / 10_000][];
        for (var b = 0; b < batches.Length; b++)
        {
            batches[b] = workload.Points(b * 10_000, 10_000);
        }

        for (var round = 0; round < rounds; round++)
        {
            var store = new InMemoryTimeSeriesStore();
            GC.Collect();
            var bytes = GC.GetTotalAllocatedBytes(true);
            var watch = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                store.WritePointsAsync(batch).AsTask().GetAwaiter().GetResult();
            }

            Report("600 series, 10k batches", count, (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes));
        }
    }

    /// <summary>Q1 and Q2 of the time-series query benchmark on the store alone (median of the rounds), for a same-run comparison.</summary>
    /// <summary>
    /// Q1 and Q2 on the store alone: once with the default <see cref="InMemoryTimeSeriesStoreOptions.QueryParallelism"/>
    /// and once on one thread (a second store with the same points), checking that both give the same result.
    /// </summary>
    private static void TimeQueries(int count, int rounds)
    {
        var workload = TimeSeries.TimeSeriesWorkload.Create(count);
        var parallel = new InMemoryTimeSeriesStore();
        var serial = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { QueryParallelism = 1 });
        for (var start = 0; start < count; start += 10_000)
        {
            var points = workload.Points(start, Math.Min(10_000, count - start));
            parallel.WritePointsAsync(points).AsTask().GetAwaiter().GetResult();
            serial.WritePointsAsync(points).AsTask().GetAwaiter().GetResult();
        }

        static Aggregation[] Aggregations(string window) => TimeSeries.TimeSeriesWorkload.Aggregations(window);
        var end = TimeSeries.TimeSeriesWorkload.End;
        var q1 = new TimeSeriesQuery
        {
            Measurement = TimeSeries.TimeSeriesWorkload.Measurement,
            TimeRange = new TimeRange(end.AddDays(-1), end),
            TagFilters = new Dictionary<string, string> { ["model_id"] = "model-03" },
            Aggregations = Aggregations("5m"),
        };
        var q2 = new TimeSeriesQuery
        {
            Measurement = TimeSeries.TimeSeriesWorkload.Measurement,
            TimeRange = new TimeRange(TimeSeries.TimeSeriesWorkload.Start, end),
            GroupBy = ["model_id"],
            Aggregations = Aggregations("1h"),
        };
        foreach (var (name, query) in new[] { ("Q1", q1), ("Q2", q2) })
        {
            var results = new List<string>();
            foreach (var (label, store) in new[] { ("", parallel), (" (1 thread)", serial) })
            {
                var times = new List<double>();
                TimeSeriesResult? last = null;
                for (var round = 0; round < rounds; round++)
                {
                    var watch = Stopwatch.StartNew();
                    var result = store.QueryAsync(query).AsTask().GetAwaiter().GetResult();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    last = result.Result ?? throw new InvalidOperationException(result.Errors[0].Message);
                }

                times.Sort();
                results.Add(Canonical(last!));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}{label}: median {times[times.Count / 2],8:F2} ms, min {times[0],8:F2} ms over {rounds} runs"));
            }

            if (results[0] != results[1])
            {
                throw new InvalidOperationException($"{name}: the parallel result differs from the one-thread result.");
            }
        }
    }

    /// <summary>The result's groups, buckets and values (doubles by their bits), for an exact comparison.</summary>
    private static string Canonical(TimeSeriesResult result)
    {
        var text = new System.Text.StringBuilder();
        foreach (var series in result.Series)
        {
            foreach (var (key, value) in series.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                text.Append(key).Append('=').Append(value).Append(';');
            }

            foreach (var point in series.Points)
            {
                text.Append(point.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture));
                foreach (var (key, value) in point.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    var bits = value is { } v && v.TryGetDouble(out var d) ? BitConverter.DoubleToInt64Bits(d) : 0;
                    text.Append(' ').Append(key).Append(':').Append(value?.Kind.ToString() ?? "null").Append(':').Append(bits.ToString(CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private const string BenchCompositeName = "cost_per_good_request";
    private const string CompositeStageName = "composite_metrics";

    /// <summary>The composite of <c>hub-ingest … composite</c>, the one <c>CompositeMetricBenchmarks</c> times: 3 inputs, per model.</summary>
    private static CompositeMetricDefinition BenchComposite() => new(
        BenchCompositeName, "Cost per request without error.", "cost / (requests - coalesce(errors, 0))",
        [
            new() { Name = "cost", SourceModule = "llm-cost-ops", MetricName = "cost_token.cost_usd", Stat = StatType.Sum },
            new() { Name = "requests", SourceModule = "llm-observatory", MetricName = "llm_latency.latency_ms", Stat = StatType.Count },
            new() { Name = "errors", SourceModule = "llm-observatory", MetricName = "llm_error_rate.error_count", Stat = StatType.Sum },
        ],
        dimensions: ["model_id"]);

    private static async Task TimeCompositeAsync(AnalyticsEvent[] events, int rounds)
    {
        // As CompositeMetricBenchmarks: region kept as a metric dimension, so the metrics stage holds over 2,000 series.
        static void WithComposite(AnalyticsHubOptions o)
        {
            o.Metrics.Dimensions = ["source_module", "environment", "model_id", "region"];
            o.Metrics.CrossModuleMetrics = false;
            o.Metrics.AddCompositeMetric(BenchComposite());
        }

        var perEvent = new List<double>();
        long withBytes = 0;
        for (var round = 0; round < rounds; round++)
        {
            var stages = new Dictionary<string, double>(StringComparer.Ordinal);
            var measured = await TimeHubAsync(events, null, null, failingStage: false, WithComposite, stages, countComposite: true).ConfigureAwait(false);
            Report("hub + composite", events.Length, measured);
            withBytes = measured.Item2;

            var composite = stages.GetValueOrDefault(CompositeStageName) * 1e6 / events.Length;
            var metrics = stages.GetValueOrDefault("metrics") * 1e6 / events.Length;
            perEvent.Add(composite);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: stage composite_metrics {composite,7:F4} µs/event (stage metrics {metrics,6:F3})"));
        }

        // Allocation does not depend on the load: one run with the stage off, beside a round after the first (whose
        // allocations include the JIT's), gives what the composite allocates per event.
        if (rounds > 1)
        {
            var (_, withoutBytes) = await TimeHubAsync(events, [CompositeStageName], null, failingStage: false, WithComposite).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"allocated with the composite: {(withBytes - withoutBytes) / (double)events.Length:F1} B/event more than with {CompositeStageName} off (last round)"));
        }

        perEvent.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"composite over 3 inputs: median {perEvent[perEvent.Count / 2]:F4} µs per ingested event in stage composite_metrics (range {perEvent[0]:F4} to {perEvent[^1]:F4} over {rounds} rounds)"));
    }

    /// <summary>
    /// The heap after the full collection, by generation (gen2, the large-object heap, the pinned-object heap: the last
    /// two are never compacted or copied by a gen0/gen1 collection), and the process's working set.
    /// </summary>
    private static void PrintHeapAfterCollection(Process process)
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var generations = info.GenerationInfo;
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    heap after it: gen2 {generations[2].SizeAfterBytes / 1048576.0:F0} MB, large objects {generations[3].SizeAfterBytes / 1048576.0:F0} MB, pinned objects {generations[4].SizeAfterBytes / 1048576.0:F0} MB, fragmented {info.FragmentedBytes / 1048576.0:F0} MB, committed {info.TotalCommittedBytes / 1048576.0:F0} MB, working set {process.WorkingSet64 / 1048576.0:F0} MB"));
    }

    /// <summary>
    /// With <c>HUB_INGEST_HOLD_SECONDS</c> set, keeps the process (and the hub) alive that long after the full collection,
    /// so a heap dump (<c>dotnet-gcdump collect -p PID</c>) counts the objects the hub keeps, by type.
    /// </summary>
    private static async Task HoldForHeapDumpAsync()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("HUB_INGEST_HOLD_SECONDS"), CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    holding the hub {seconds} s for a heap dump: process {Environment.ProcessId}"));
            await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        }
    }

    private static async Task<(TimeSpan, long)> TimeHubAsync(
        AnalyticsEvent[] events, string[]? disabled, AnalyticsEvent[]? warmup, bool failingStage,
        Action<AnalyticsHubOptions>? configure = null, Dictionary<string, double>? stagesOut = null, bool countComposite = false)
    {
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var services = new ServiceCollection();
        services.AddSingleton<AnalyticsHub.Storage.IEventStore>(new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = (events.Length + (warmup?.Length ?? 0)) * 2 }));
        var builder = services.AddAnalyticsHub(o =>
        {
            o.DisabledStages = disabled;
            configure?.Invoke(o);
        });
        if (failingStage)
        {
            builder.AddStage<AlwaysFailingStage>();
        }

        var stageAllocation = s_gcProfile ? new StageAllocation() : null;
        stageAllocation?.Wrap(services);

        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync().ConfigureAwait(false);
        await PinnedMixWorkload.AddActivePoliciesAsync(provider.GetRequiredService<AnalyticsHub.Policies.PolicyRegistry>()).ConfigureAwait(false);
        if (warmup is not null)
        {
            for (var start = 0; start < warmup.Length; start += Batch)
            {
                await hub.IngestAsync(new ArraySegment<AnalyticsEvent>(warmup, start, Math.Min(Batch, warmup.Length - start))).ConfigureAwait(false);
            }

            await hub.FlushAsync().ConfigureAwait(false);
            if (failingStage)
            {
                PrintCircuit("  after the warm-up:", hub.Statistics);
            }
        }

        // The hub's own stage-duration histogram, summed per stage: where the time of each ingested event goes.
        var stageSeconds = new System.Collections.Concurrent.ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "AnalyticsHub" && instrument.Name == "analyticshub.stage.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage" && tag.Value is string stage)
                {
                    stageSeconds.AddOrUpdate(stage, seconds, (_, total) => total + seconds);
                }
            }
        });
        listener.Start();
        using var gcProfile = s_gcProfile ? new GcProfile() : null;
        GC.Collect();
        stageAllocation?.Reset();
        gcProfile?.Start();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var bytes = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < events.Length; start += Batch)
        {
            await hub.IngestAsync(new ArraySegment<AnalyticsEvent>(events, start, Math.Min(Batch, events.Length - start))).ConfigureAwait(false);
        }

        await hub.FlushAsync().ConfigureAwait(false);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(true) - bytes;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    collections during the run gen0/1/2 {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}, heap committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F0} MB, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB"));
        gcProfile?.Print(events.Length);
        stageAllocation?.Print(events.Length, allocated);
        if (stageAllocation is not null && !s_keptMeasured)
        {
            // What the hub keeps: the heap after a full, compacting collection, less the heap before the hub was built
            // (the events, which the caller holds either way, were already there). Only for the process's first hub:
            // an earlier hub of the same process may still be collected in between and hide what this one keeps.
            s_keptMeasured = true;
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var kept = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    kept by the hub after a full collection {kept / (double)events.Length,8:F0} B/event"));
            PrintHeapAfterCollection(process);
            await HoldForHeapDumpAsync().ConfigureAwait(false);
            GC.KeepAlive(hub);
        }

        foreach (var (stage, seconds) in stageSeconds.OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    stage {stage,-14} {seconds * 1e6 / events.Length,8:F2} µs/event"));
            stagesOut?.Add(stage, seconds);
        }

        if (countComposite)
        {
            var result = await hub.QueryMetricsAsync(new MetricQuery
            {
                MetricName = BenchCompositeName,
                TimeRange = new TimeRange(events.Min(e => e.Timestamp).AddHours(-1), events.Max(e => e.Timestamp).AddHours(1)),
                Window = TimeWindow.OneMinute,
            }).ConfigureAwait(false);
            var values = result.Metrics?.Count ?? 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {BenchCompositeName}: {values} one-minute values stored"));
            if (values == 0)
            {
                throw new InvalidOperationException("The composite produced no value: the comparison would measure nothing. " + string.Join("; ", result.Errors.Select(e => e.Message)));
            }
        }

        // Stages of different lanes overlap (IIngestionStage.ConcurrencyGroup), so their sum may exceed the wall time.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    stages summed        {stageSeconds.Values.Sum() * 1e6 / events.Length,8:F2} µs/event (wall {watch.Elapsed.TotalMicroseconds / events.Length:F2})"));

        if (failingStage)
        {
            PrintCircuit("  at the end:", hub.Statistics);
        }

        return (watch.Elapsed, allocated);
    }

    private static void PrintCircuit(string when, AnalyticsHub.Pipeline.IngestionStatistics statistics) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{when} {AlwaysFailingStage.StageName} circuit {(statistics.OpenCircuits.Contains(AlwaysFailingStage.StageName) ? "open" : "closed")}, " +
            $"{statistics.StageFailures.GetValueOrDefault(AlwaysFailingStage.StageName)} batches failed, {statistics.StageSkips.GetValueOrDefault(AlwaysFailingStage.StageName)} skipped"));

    /// <summary>
    /// The event store alone, as the hub's main lane uses it: each batch of 1,000 validated, then appended to a fresh
    /// store. Prints the bytes validation and the store allocate per event and the heap the store keeps per event after
    /// a full, compacting collection (the events themselves, held by the caller, not counted).
    /// </summary>
    private static void TimeEventStore(AnalyticsEvent[] events)
    {
        var validator = new EventValidator();
        GC.Collect();
        var bytes = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        var problems = 0;
        foreach (var evt in events)
        {
            problems += validator.Validate(evt).Count;
        }

        Report("  validation", events.Length, (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes));
        if (problems > 0)
        {
            throw new InvalidOperationException($"The pinned mix has {problems} validation problems.");
        }

        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        bytes = GC.GetTotalAllocatedBytes(true);
        watch.Restart();
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = events.Length * 2L });
        for (var start = 0; start < events.Length; start += Batch)
        {
            store.AppendAsync(new ArraySegment<AnalyticsEvent>(events, start, Math.Min(Batch, events.Length - start))).AsTask().GetAwaiter().GetResult();
        }

        Report("  event store appends", events.Length, (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes));
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var kept = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    kept by the store after a full collection {kept / (double)events.Length,8:F0} B/event"));
        GC.KeepAlive(store);
    }

    private static ((TimeSpan, long) Extract, (TimeSpan, long) Write, (TimeSpan, long) Rewrite) TimeTimeSeries(AnalyticsEvent[] events)
    {
        GC.Collect();
        var bytes = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        var batches = new PointColumns[(events.Length + Batch - 1) / Batch];
        for (var b = 0; b < batches.Length; b++)
        {
            var size = Math.Min(Batch, events.Length - (b * Batch));
            var columns = new PointColumns(size);
            PointExtractor.ExtractAll(new ArraySegment<AnalyticsEvent>(events, b * Batch, size), columns);
            batches[b] = columns.Complete();
        }

        var extract = (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes);
        var store = new InMemoryTimeSeriesStore();
        GC.Collect();
        bytes = GC.GetTotalAllocatedBytes(true);
        watch.Restart();
        foreach (var batch in batches)
        {
            var result = store.WriteColumnsAsync(batch).AsTask().GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Errors[0].Message);
            }
        }

        var write = (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes);
        GC.Collect();
        bytes = GC.GetTotalAllocatedBytes(true);
        watch.Restart();
        foreach (var batch in batches)
        {
            store.WriteColumnsAsync(batch).AsTask().GetAwaiter().GetResult();
        }

        return (extract, write, (watch.Elapsed, GC.GetTotalAllocatedBytes(true) - bytes));
    }
}
