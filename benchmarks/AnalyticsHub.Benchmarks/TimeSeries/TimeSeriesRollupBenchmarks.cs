using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Evaluation.TimeSeries;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.TimeSeries;

/// <summary>
/// Q2 of PERFORMANCE.md (7 days, all series, group by model x hour, avg + p95 + count) answered three ways on the
/// same store: from raw points with exact p95 (the baseline), from raw points with sketch p95, and from the hourly
/// rollups a continuous query maintained while the points were written (sketch p95). [GlobalSetup] checks that the
/// rollup answer has the raw answer's counts and averages and a p95 within the sketch's bound of the exact one.
/// </summary>
/// <remarks>The point count comes from <c>TS_POINTS</c> (default 10,000,000).</remarks>
[MemoryDiagnoser]
public class TimeSeriesRollupBenchmarks
{
    private const string Destination = "llm_request_by_model_1h";

    private InMemoryTimeSeriesStore _store = null!;
    private TimeSeriesQuery _exact = null!;
    private TimeSeriesQuery _sketch = null!;
    private TimeSeriesQuery _rollups = null!;

    [GlobalSetup]
    public void Setup()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("TS_POINTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10_000_000;
        var workload = TimeSeriesWorkload.Create(count);
        _store = new InMemoryTimeSeriesStore();
        var errors = _store.RegisterContinuousQueryAsync(HourlyByModel()).AsTask().GetAwaiter().GetResult();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(errors[0].Message);
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i += 10_000)
        {
            var result = _store.WritePointsAsync(workload.Points(i, Math.Min(10_000, count - i))).AsTask().GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Errors[0].Message);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"// ingest with the continuous query maintained: {count / elapsed.TotalSeconds / 1e6:F2} M points/s");

        var range = new TimeRange(TimeSeriesWorkload.Start, TimeSeriesWorkload.End);
        _exact = TimeSeriesWorkload.Q2(TimeSeriesWorkload.Measurement, range, PercentileMode.Exact);
        _sketch = TimeSeriesWorkload.Q2(TimeSeriesWorkload.Measurement, range, PercentileMode.Sketch);
        _rollups = TimeSeriesWorkload.Q2(Destination, range, PercentileMode.Sketch);
        Check(Run(_exact), Run(_rollups));
    }

    [Benchmark(Baseline = true)]
    public int Q2RawExact() => Run(_exact).Series.Count;

    [Benchmark]
    public int Q2RawSketch() => Run(_sketch).Series.Count;

    [Benchmark]
    public int Q2HourlyRollups() => Run(_rollups).Series.Count;

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>Hourly rollups of latency per model, kept up to date as points arrive.</summary>
    internal static ContinuousQuery HourlyByModel() => new()
    {
        QueryId = "latency-by-model-1h",
        Name = "Latency per model per hour",
        SourceMeasurement = TimeSeriesWorkload.Measurement,
        DestinationMeasurement = Destination,
        Query = new TimeSeriesQuery
        {
            Measurement = TimeSeriesWorkload.Measurement,
            TimeRange = new TimeRange(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100)),
            GroupBy = ["model_id"],
            Aggregations = [new Aggregation { Function = AggregationFunction.ForPercentile(95), Window = "1h", Fields = ["latency_ms"] }],
        },
        Interval = "1m",
        Enabled = true,
    };

    private TimeSeriesResult Run(TimeSeriesQuery query)
    {
        var outcome = _store.QueryAsync(query).AsTask().GetAwaiter().GetResult();
        return outcome.Result ?? throw new InvalidOperationException(outcome.Errors[0].Message);
    }

    /// <summary>Same groups and hours, equal counts, averages within decision 10's tolerance, p95 within 1% (the sketch bound is tighter).</summary>
    internal static void Check(TimeSeriesResult exact, TimeSeriesResult rollups)
    {
        if (exact.Series.Count != rollups.Series.Count)
        {
            throw new InvalidOperationException($"Q2: {exact.Series.Count} groups from raw, {rollups.Series.Count} from rollups.");
        }

        double worst = 0;
        for (var s = 0; s < exact.Series.Count; s++)
        {
            var e = exact.Series[s].Points;
            var r = rollups.Series[s].Points;
            if (e.Count != r.Count)
            {
                throw new InvalidOperationException($"Q2 group {s}: {e.Count} hours from raw, {r.Count} from rollups.");
            }

            for (var p = 0; p < e.Count; p++)
            {
                if (e[p].Timestamp != r[p].Timestamp || !e[p].Values["latency_ms_count"].Equals(r[p].Values["latency_ms_count"]))
                {
                    throw new InvalidOperationException($"Q2 group {s} hour {p}: counts or hours differ.");
                }

                var mean = Value(e[p], "latency_ms_mean");
                if (Math.Abs(mean - Value(r[p], "latency_ms_mean")) > 1e-9 * Math.Abs(mean))
                {
                    throw new InvalidOperationException($"Q2 group {s} hour {p}: averages differ.");
                }

                var p95 = Value(e[p], "latency_ms_p95");
                var error = Math.Abs(Value(r[p], "latency_ms_p95") - p95) / Math.Abs(p95);
                worst = Math.Max(worst, error);
                if (error > 0.01)
                {
                    throw new InvalidOperationException($"Q2 group {s} hour {p}: rollup p95 is {error:P2} off the exact one.");
                }
            }
        }

        Console.WriteLine($"// Q2 from hourly rollups checked against raw: counts equal, averages within 1e-9, worst p95 error {worst:P3}");
    }

    private static double Value(TimeSeriesDataPoint point, string name) =>
        point.Values[name] is { } value && value.TryGetDouble(out var number) ? number : double.NaN;
}
