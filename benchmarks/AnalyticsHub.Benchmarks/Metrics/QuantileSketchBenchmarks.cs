using AnalyticsHub.Evaluation.Metrics;
using AnalyticsHub.Statistics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HdrHistogram;

namespace AnalyticsHub.Benchmarks.Metrics;

/// <summary>
/// Quantile sketch against its peers on 1,000,000 lognormal latencies (median 200 ms, sigma 0.9):
/// insert (ns per value), one p99 read, and merging a 1M-value structure into another.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class QuantileSketchBenchmarks
{
    private double[] _values = [];
    private long[] _micros = [];
    private double[] _exactBuffer = [];
    private int _exactCount;
    private readonly QuantileSketch _sketch = new();
    private QuantileSketch _sketchTarget = new();
    private readonly LongHistogram _hdr = SketchWorkload.NewHdr();
    private LongHistogram _hdrTarget = SketchWorkload.NewHdr();
    private SketchWorkload.OpenTelemetryHistogram _otel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = SketchWorkload.Latencies();
        _micros = SketchWorkload.Microseconds(_values);
        _exactBuffer = new double[_values.Length];
        _otel = new SketchWorkload.OpenTelemetryHistogram("AnalyticsHub.Benchmarks.Sketch");
        foreach (var v in _values)
        {
            _sketch.TryAdd(v);
            _otel.Histogram.Record(v);
        }

        foreach (var v in _micros)
        {
            _hdr.RecordValue(v);
        }

        _sketchTarget = _sketch.Clone();
        _hdrTarget = SketchWorkload.NewHdr();
        _hdrTarget.Add(_hdr);
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public void HdrHistogramInsert()
    {
        var hdr = _hdr;
        foreach (var v in _micros)
        {
            hdr.RecordValue(v);
        }
    }

    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public bool QuantileSketchInsert()
    {
        var sketch = _sketch;
        var ok = true;
        foreach (var v in _values)
        {
            ok &= sketch.TryAdd(v);
        }

        return ok;
    }

    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public void OpenTelemetryInsert()
    {
        var histogram = _otel.Histogram;
        foreach (var v in _values)
        {
            histogram.Record(v);
        }
    }

    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public int ExactSortInsert()
    {
        // The exact baseline keeps every value: insert is an append into a preallocated buffer.
        var buffer = _exactBuffer;
        var n = 0;
        foreach (var v in _values)
        {
            buffer[n++] = v;
        }

        _exactCount = n;
        return n;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("P99")]
    public long HdrHistogramP99() => _hdr.GetValueAtPercentile(99);

    [Benchmark]
    [BenchmarkCategory("P99")]
    public double QuantileSketchP99() => _sketch.Quantile(0.99);

    [Benchmark]
    [BenchmarkCategory("P99")]
    public double OpenTelemetryCollectAndP99() => _otel.Quantile(0.99, out _);

    [Benchmark]
    [BenchmarkCategory("P99")]
    public double ExactSortP99()
    {
        var copy = _values.AsSpan(0, _values.Length).ToArray();
        Array.Sort(copy);
        return SketchWorkload.ExactQuantile(copy, 0.99) + _exactCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Merge")]
    public void HdrHistogramMerge() => _hdrTarget.Add(_hdr);

    [Benchmark]
    [BenchmarkCategory("Merge")]
    public void QuantileSketchMerge() => _sketchTarget.Merge(_sketch);
}
