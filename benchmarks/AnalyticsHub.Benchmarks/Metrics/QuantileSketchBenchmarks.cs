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
    /// <summary>The run length of <see cref="QuantileSketchInsertRuns"/>: the run the median value of the pinned mix falls in at the metrics stage (<c>metric-runs</c>: 9; mean 3.65 values per run).</summary>
    private const int RunLength = 9;

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

    /// <summary>The run insert (<c>TryAdd(ReadOnlySpan&lt;double&gt;)</c>) in runs of <see cref="RunLength"/> values, as the metrics stage hands a window its values.</summary>
    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public int QuantileSketchInsertRuns()
    {
        var sketch = _sketch;
        var values = _values.AsSpan();
        var added = 0;
        for (var start = 0; start < values.Length; start += RunLength)
        {
            added += sketch.TryAdd(values.Slice(start, Math.Min(RunLength, values.Length - start)));
        }

        return added;
    }

    /// <summary>The run insert of all 1,000,000 values in one call.</summary>
    [Benchmark(OperationsPerInvoke = SketchWorkload.Count)]
    [BenchmarkCategory("Insert")]
    public int QuantileSketchInsertOneRun() => _sketch.TryAdd(_values);

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
