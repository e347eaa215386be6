using AnalyticsHub.Evaluation.Metrics;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AnalyticsHub.Benchmarks.Metrics;

/// <summary>
/// Windowed aggregation on event time. "Record10M": 10,000,000 lognormal latencies across 600
/// series over two hours of event time into 1-minute windows rolled up to 1 hour (1-minute
/// lateness), against the same values added to one StreamingStats + QuantileSketch per series
/// with no windows (the floor). "SameKey": 4,000,000 points into one series from one writer
/// thread against two writer threads (half each). Times are per point.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WindowedAggregatorBenchmarks
{
    private const int Points = 10_000_000;
    private const int Keys = 600;
    private const int SameKeyPoints = 4_000_000;
    private const int ValueMask = (1 << 20) - 1;

    private static readonly DateTimeOffset Start = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private static readonly long Span = TimeSpan.FromHours(2).Ticks;

    private double[] _values = [];
    private WindowedAggregator _aggregator = null!;
    private MetricKey[] _keys = [];
    private StreamingStats[] _directStats = [];
    private QuantileSketch[] _directSketches = [];

    [GlobalSetup]
    public void Setup()
    {
        var latencies = SketchWorkload.Latencies();
        _values = new double[ValueMask + 1];
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = latencies[i % latencies.Length];
        }

        _directStats = new StreamingStats[Keys];
        _directSketches = new QuantileSketch[Keys];
        for (var k = 0; k < Keys; k++)
        {
            _directSketches[k] = new QuantileSketch();
        }
    }

    [IterationSetup]
    public void CreateAggregator()
    {
        _aggregator = new WindowedAggregator(
            new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute, TimeWindow.OneHour], AllowedLateness = TimeSpan.FromMinutes(1) },
            NullSink.Instance);
        _keys = new MetricKey[Keys];
        for (var k = 0; k < Keys; k++)
        {
            _aggregator.TryGetKey("latency_ms", new Dictionary<string, string> { ["series"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture) }, out _keys[k]);
        }

        // Warm the window pools and sketch arrays with the two hours before the measured range, on
        // this thread and on a second one (the same-key writers), as a running hub would be.
        RecordRange(_aggregator, _keys, Start.UtcTicks - Span, 0, 1, 1_000_000);
        var other = new Thread(() => RecordRange(_aggregator, _keys, Start.UtcTicks - Span, 1, 2, 1_000_000));
        other.Start();
        other.Join();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    [BenchmarkCategory("Record10M")]
    public ulong DirectStatsAndSketchNoWindows()
    {
        var stats = _directStats;
        var sketches = _directSketches;
        var values = _values;
        for (var i = 0; i < Points; i++)
        {
            var k = i % Keys;
            var v = values[i & ValueMask];
            stats[k].TryAdd(v);
            sketches[k].TryAdd(v);
        }

        return stats[0].Count;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    [BenchmarkCategory("Record10M")]
    public long WindowedOneMinuteRollupOneHour()
    {
        RecordRange(_aggregator, _keys, Start.UtcTicks, 0, 1, Points);
        return _aggregator.GetStatistics().ClosedWindows;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SameKeyPoints)]
    [BenchmarkCategory("SameKey")]
    public void OneWriter() => RecordSameKey(0, 1);

    [Benchmark(OperationsPerInvoke = SameKeyPoints)]
    [BenchmarkCategory("SameKey")]
    public void TwoWriters()
    {
        var second = new Thread(() => RecordSameKey(1, 2));
        second.Start();
        RecordSameKey(0, 2);
        second.Join();
    }

    private void RecordSameKey(int first, int stride)
    {
        var aggregator = _aggregator;
        var key = _keys[0];
        var values = _values;
        var origin = Start.UtcTicks;
        var step = Span / SameKeyPoints;
        for (var i = first; i < SameKeyPoints; i += stride)
        {
            aggregator.Record(key, new DateTimeOffset(origin + (i * step), TimeSpan.Zero), values[i & ValueMask]);
        }
    }

    private void RecordRange(WindowedAggregator aggregator, MetricKey[] keys, long origin, int first, int stride, int count)
    {
        var values = _values;
        var step = Span / count;
        for (var i = first; i < count; i += stride)
        {
            aggregator.Record(keys[i % Keys], new DateTimeOffset(origin + (i * step), TimeSpan.Zero), values[i & ValueMask]);
        }
    }

    private sealed class NullSink : IClosedWindowSink
    {
        public static readonly NullSink Instance = new();

        public void OnWindowClosed(in ClosedWindow window)
        {
        }

        public void OnClosePassCompleted(DateTimeOffset closedUpTo)
        {
        }
    }
}
