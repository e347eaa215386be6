using System.Diagnostics.Metrics;
using HdrHistogram;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace AnalyticsHub.Evaluation.Metrics;

/// <summary>The shared latency workload and the peers' plumbing for the sketch benchmarks and the accuracy command.</summary>
internal static class SketchWorkload
{
    public const int Count = 1_000_000;
    public const int Seed = 20261127;

    /// <summary>HdrHistogram records whole microseconds up to one hour.</summary>
    public const long HdrHighestMicroseconds = 3_600_000_000;

    /// <summary>Lognormal latencies in milliseconds: median 200 ms, sigma 0.9, clamped to [1 us, 1 h].</summary>
    public static double[] Latencies(int count = Count, int seed = Seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            values[i] = Math.Clamp(200 * Math.Exp(0.9 * z), 0.001, 3_600_000);
        }

        return values;
    }

    public static long[] Microseconds(double[] milliseconds)
    {
        var micros = new long[milliseconds.Length];
        for (var i = 0; i < micros.Length; i++)
        {
            micros[i] = Math.Max(1, (long)Math.Round(milliseconds[i] * 1000));
        }

        return micros;
    }

    public static LongHistogram NewHdr() => new(HdrHighestMicroseconds, 3);

    public static double ExactQuantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(h);
        var high = (int)Math.Ceiling(h);
        return sorted[low] + ((h - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>An OpenTelemetry SDK pipeline: one histogram with the base-2 exponential view, exported in memory.</summary>
    public sealed class OpenTelemetryHistogram : IDisposable
    {
        private readonly Meter _meter;
        private readonly MeterProvider _provider;
        private readonly List<Metric> _exported = [];

        public OpenTelemetryHistogram(string name)
        {
            _meter = new Meter(name);
            Histogram = _meter.CreateHistogram<double>("latency", "ms");
            _provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(name)
                .AddView("latency", new Base2ExponentialBucketHistogramConfiguration())
                .AddInMemoryExporter(_exported)
                .Build()!;
        }

        public Histogram<double> Histogram { get; }

        /// <summary>Collects the cumulative histogram and reads an R-7 quantile from its buckets, the way our sketch does.</summary>
        public double Quantile(double q, out int scale)
        {
            _exported.Clear();
            _provider.ForceFlush();
            scale = 0;
            foreach (var metric in _exported)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var data = point.GetExponentialHistogramData();
                    scale = data.Scale;
                    point.TryGetHistogramMinMaxValues(out var min, out var max);
                    var count = (ulong)point.GetHistogramCount();
                    var h = (count - 1) * q;
                    var lowRank = (ulong)Math.Floor(h);
                    var low = ValueAtRank(data, lowRank);
                    var high = lowRank + 1 < count ? ValueAtRank(data, lowRank + 1) : low;
                    return Math.Clamp(low + ((h - lowRank) * (high - low)), min, max);
                }
            }

            return double.NaN;
        }

        private static double ValueAtRank(ExponentialHistogramData data, ulong rank)
        {
            if (rank < (ulong)data.ZeroCount)
            {
                return 0;
            }

            var seen = (ulong)data.ZeroCount;
            var index = data.PositiveBuckets.Offset;
            var gamma = Math.Pow(2, Math.Pow(2, -data.Scale));
            var last = 0.0;
            foreach (var bucketCount in data.PositiveBuckets)
            {
                var lower = Math.Pow(gamma, index);
                last = 2 * lower * gamma / (1 + gamma);
                seen += (ulong)bucketCount;
                if (seen > rank)
                {
                    return last;
                }

                index++;
            }

            return last;
        }

        public void Dispose()
        {
            _provider.Dispose();
            _meter.Dispose();
        }
    }
}
