using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Evaluation.Metrics;

/// <summary>
/// <c>sketch-accuracy</c>: worst relative error over p1..p99 and p99.9 against the exact R-7
/// quantile, state sizes and merge time, for our sketch, HdrHistogram and OpenTelemetry.
/// </summary>
internal static class SketchAccuracyCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var values = SketchWorkload.Latencies();
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);

        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.TryAdd(v);
        }

        var hdr = SketchWorkload.NewHdr();
        foreach (var v in SketchWorkload.Microseconds(values))
        {
            hdr.RecordValue(v);
        }

        using var otel = new SketchWorkload.OpenTelemetryHistogram("AnalyticsHub.Benchmarks.SketchAccuracy");
        foreach (var v in values)
        {
            otel.Histogram.Record(v);
        }

        double sketchWorst = 0, hdrWorst = 0, otelWorst = 0;
        double sketchWorstQ = 0, hdrWorstQ = 0, otelWorstQ = 0;
        var violations = 0;
        var otelScale = 0;
        var alpha = QuantileSketch.RelativeAccuracy;
        for (var k = 1; k <= 100; k++)
        {
            var q = k == 100 ? 0.999 : k / 100.0;
            var exact = SketchWorkload.ExactQuantile(sorted, q);
            var ours = sketch.Quantile(q);
            var theirs = hdr.GetValueAtPercentile(q * 100) / 1000.0;
            var otelValue = otel.Quantile(q, out otelScale);
            Track(Math.Abs(ours - exact) / exact, q, ref sketchWorst, ref sketchWorstQ);
            Track(Math.Abs(theirs - exact) / exact, q, ref hdrWorst, ref hdrWorstQ);
            Track(Math.Abs(otelValue - exact) / exact, q, ref otelWorst, ref otelWorstQ);

            var h = (sorted.Length - 1) * q;
            var low = sorted[(int)Math.Floor(h)];
            var high = sorted[(int)Math.Ceiling(h)];
            if (ours < low * (1 - alpha) || ours > high * (1 + alpha))
            {
                violations++;
            }
        }

        var span = new QuantileSketch();
        for (var v = 1.0; v <= 3_600_000; v *= 1.0005)
        {
            span.TryAdd(v);
        }

        var a = new QuantileSketch();
        var b = new QuantileSketch();
        for (var i = 0; i < values.Length; i++)
        {
            (i % 2 == 0 ? a : b).TryAdd(values[i]);
        }

        const int merges = 20_000;
        var target = a.Clone();
        target.Merge(b);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < merges; i++)
        {
            target.Merge(b);
        }

        var mergeNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / merges;

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"workload: {values.Length:N0} lognormal latencies (median 200 ms, sigma 0.9, seed {SketchWorkload.Seed}); quantiles p1..p99 and p99.9 vs exact R-7"));
        Console.WriteLine();
        Console.WriteLine("| structure | max relative error | at q | state bytes |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(c, $"| QuantileSketch (scale 6, alpha {alpha:P3}) | {sketchWorst:P3} | {sketchWorstQ} | {sketch.GetMemoryBytes():N0} |"));
        Console.WriteLine(string.Create(c, $"| HdrHistogram 2.5.0 (3 digits, 1 us..1 h) | {hdrWorst:P3} | {hdrWorstQ} | {hdr.GetEstimatedFootprintInBytes():N0} |"));
        Console.WriteLine(string.Create(c, $"| OpenTelemetry 1.20.1 base-2 exponential (160 buckets, settled at scale {otelScale}) | {otelWorst:P3} | {otelWorstQ} | n/a (at most 160 buckets) |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"decision-10 bound violations by QuantileSketch: {violations} of 100 quantiles"));
        Console.WriteLine(string.Create(c, $"QuantileSketch state for values spanning 1 ms..1 h (every 0.05%): {span.GetMemoryBytes():N0} bytes"));
        Console.WriteLine(string.Create(c, $"QuantileSketch merge of a 500,000-value sketch (Stopwatch, {merges:N0} merges): {mergeNs:N0} ns"));
        return Task.FromResult(violations == 0 ? 0 : 1);
    }

    private static void Track(double error, double q, ref double worst, ref double worstQ)
    {
        if (error > worst)
        {
            worst = error;
            worstQ = q;
        }
    }
}
