using AnalyticsHub.Evaluation.Metrics;
using AnalyticsHub.Statistics;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Metrics;

/// <summary>Bucket index of a latency: the exact IEEE-bits + lookup table mapping against Math.Log2.</summary>
[MemoryDiagnoser]
public class SketchIndexBenchmarks
{
    private double[] _values = [];

    [GlobalSetup]
    public void Setup() => _values = SketchWorkload.Latencies();

    [Benchmark(Baseline = true, OperationsPerInvoke = SketchWorkload.Count)]
    public int Log2Index()
    {
        var sum = 0;
        foreach (var v in _values)
        {
            // Inexact near boundaries (rounding of Log2), which is why the sketch does not use it.
            sum += (int)Math.Ceiling(Math.Log2(v) * 64) - 1;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    public int LookupTableIndex()
    {
        var sum = 0;
        foreach (var v in _values)
        {
            sum += QuantileSketch.MapToIndex(v);
        }

        return sum;
    }
}
