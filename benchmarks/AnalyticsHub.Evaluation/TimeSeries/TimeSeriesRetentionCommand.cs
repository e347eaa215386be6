using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Evaluation.TimeSeries;

/// <summary>
/// <c>ts-retention [points]</c>: loads the PERFORMANCE.md workload (default 10,000,000 points over 7 days) into the
/// in-memory store, then applies the default retention policy as the data ages — 8 days after its end (everything past
/// full resolution: 5-minute rollups), 31 days (hourly), 91 days (daily) — and reports the managed memory, the time
/// each application takes, and Q2 (7 days, model x hour, avg + p95 + count) answered at each stage.
/// </summary>
internal static class TimeSeriesRetentionCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var workload = TimeSeriesWorkload.Create(count);
        var baseline = Memory();
        var store = new InMemoryTimeSeriesStore();
        for (var i = 0; i < count; i += 10_000)
        {
            store.WritePointsAsync(workload.Points(i, Math.Min(10_000, count - i))).AsTask().GetAwaiter().GetResult();
        }

        store.SealOpenChunks();
        var range = new TimeRange(TimeSeriesWorkload.Start, TimeSeriesWorkload.End);
        var query = TimeSeriesWorkload.Q2(TimeSeriesWorkload.Measurement, range, PercentileMode.Sketch);
        Console.WriteLine($"points: {count:N0} over 7 days, {TimeSeriesWorkload.SeriesCount} series; memory in bytes of the managed heap after a full collection");
        Console.WriteLine();
        Console.WriteLine("| stage | memory | B/point | retention run | Q2 (sketch p95) | resolutions |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        Report("loaded, sealed (raw)", store, query, baseline, count, TimeSpan.Zero);
        foreach (var (label, days) in new[] { ("+8 days: 5-minute rollups", 8), ("+31 days: hourly", 31), ("+91 days: daily", 91) })
        {
            var started = Stopwatch.GetTimestamp();
            var result = store.ApplyRetentionAsync(TimeSeriesWorkload.End.AddDays(days)).AsTask().GetAwaiter().GetResult();
            var elapsed = Stopwatch.GetElapsedTime(started);
            Report($"{label} ({result.RawPointsDownsampled:N0} downsampled, {result.RollupBucketsMerged:N0} buckets folded)", store, query, baseline, count, elapsed);
        }

        return Task.FromResult(0);
    }

    private static void Report(string stage, InMemoryTimeSeriesStore store, TimeSeriesQuery query, long baseline, int count, TimeSpan retention)
    {
        var bytes = Memory() - baseline;
        var started = Stopwatch.GetTimestamp();
        var answer = store.QueryAsync(query).AsTask().GetAwaiter().GetResult().Result!;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"| {stage} | {bytes:N0} | {(double)bytes / count:F2} | {retention.TotalMilliseconds:N0} ms | {elapsed.TotalMilliseconds:N1} ms | {string.Join(", ", answer.Metadata.Resolutions ?? [])} |");
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
