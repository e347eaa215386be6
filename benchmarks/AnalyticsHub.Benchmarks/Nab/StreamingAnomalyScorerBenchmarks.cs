using AnalyticsHub.Anomalies;
using AnalyticsHub.Evaluation.Nab;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Nab;

/// <summary>Per-point cost and allocation of the NAB baselines and the hub's default detector (each must allocate nothing per point).</summary>
[MemoryDiagnoser]
public class StreamingAnomalyScorerBenchmarks
{
    private const int Points = 10_000;
    private readonly double[] _values = new double[Points];
    private readonly DateTimeOffset _origin = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Created once and kept warm, so a measurement sees only the per-point cost.
    private readonly NullAnomalyScorer _null = new();
    private readonly RandomAnomalyScorer _random = new();
    private readonly ZScoreAnomalyScorer _zscore = new();
    private readonly DefaultAnomalyDetector _default = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Points; i++)
        {
            _values[i] = 100 + (10 * Math.Sin(i / 50.0)) + random.NextDouble();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Null() => Run(_null);

    [Benchmark(OperationsPerInvoke = Points)]
    public double Random() => Run(_random);

    [Benchmark(OperationsPerInvoke = Points)]
    public double ZScore() => Run(_zscore);

    [Benchmark(OperationsPerInvoke = Points)]
    public double Default() => Run(_default);

    private double Run(IStreamingAnomalyDetector detector)
    {
        var sum = 0.0;
        for (var i = 0; i < _values.Length; i++)
        {
            sum += detector.Update(_origin.AddMinutes(5 * i), _values[i]).Score;
        }

        return sum;
    }
}
