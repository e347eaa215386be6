using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;
using DuckDB.NET.Data;

namespace AnalyticsHub.Evaluation.TimeSeries;

/// <summary>
/// The PERFORMANCE.md time-series workload, seeded: points over 7 days in time order, measurement llm_request,
/// tags model_id (20), environment (3), region (10); fields latency_ms (lognormal, median 200, sigma 0.9, rounded to
/// 0.1 ms), token_count (integer), cost_usd (rounded to 1e-6). Timestamps are whole microseconds so DuckDB sees the same instants.
/// </summary>
internal sealed class TimeSeriesWorkload
{
    public const int Seed = 20261127;
    public const string Measurement = "llm_request";
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = Start.AddDays(7);
    private static readonly string[] LatencyCostTokenNames = ["latency_ms", "token_count", "cost_usd"];

    private TimeSeriesWorkload(int count)
    {
        Count = count;
        Ticks = new long[count];
        Series = new short[count];
        Latency = new double[count];
        Tokens = new long[count];
        Cost = new double[count];
        var random = new Random(Seed);
        var spanMicros = (End - Start).Ticks / 10;
        for (var i = 0; i < count; i++)
        {
            Ticks[i] = Start.UtcTicks + ((long)((double)i * spanMicros / count) * 10);
            Series[i] = (short)random.Next(SeriesCount);
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            Latency[i] = Math.Round(200 * Math.Exp(0.9 * z) * 10) / 10;
            Tokens[i] = 50 + random.Next(4000);
            Cost[i] = Math.Round(Tokens[i] * 2.5e-6 * (0.5 + random.NextDouble()) * 1e6) / 1e6;
        }

        for (var s = 0; s < SeriesCount; s++)
        {
            Tags[s] = new TagSet
            {
                SourceModule = "llm-observatory",
                Environment = EnvironmentOf(s),
                ModelId = ModelOf(s),
                Region = RegionOf(s),
            };
        }
    }

    public const int SeriesCount = 20 * 3 * 10;

    public int Count { get; }

    public long[] Ticks { get; }

    public short[] Series { get; }

    public double[] Latency { get; }

    public long[] Tokens { get; }

    public double[] Cost { get; }

    public TagSet[] Tags { get; } = new TagSet[SeriesCount];

    public static string ModelOf(int series) => "model-" + (series % 20).ToString("00", CultureInfo.InvariantCulture);

    public static string EnvironmentOf(int series) => ((series / 20) % 3) switch { 0 => "production", 1 => "staging", _ => "development" };

    public static string RegionOf(int series) => "region-" + (series / 60).ToString(CultureInfo.InvariantCulture);

    public static TimeSeriesWorkload Create(int count) => new(count);

    public TimeSeriesPoint Point(int i) => new()
    {
        Measurement = Measurement,
        Timestamp = new DateTimeOffset(Ticks[i], TimeSpan.Zero),
        Tags = Tags[Series[i]],
        Fields = FieldSet.FromArrays(LatencyCostTokenNames, [FieldValue.FromDouble(Latency[i]), FieldValue.FromInt64(Tokens[i]), FieldValue.FromDouble(Cost[i])]),
    };

    public TimeSeriesPoint[] Points(int from, int count)
    {
        var points = new TimeSeriesPoint[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = Point(from + i);
        }

        return points;
    }

    /// <summary>The aggregations of Q1 and Q2: avg, p95 and count of latency per window.</summary>
    internal static Aggregation[] Aggregations(string window) =>
    [
        new Aggregation { Function = AggregationFunction.Mean, Window = window, Fields = ["latency_ms"] },
        new Aggregation { Function = AggregationFunction.ForPercentile(95), Window = window, Fields = ["latency_ms"] },
        new Aggregation { Function = AggregationFunction.Count, Window = window, Fields = ["latency_ms"] },
    ];

    /// <summary>Q2 of PERFORMANCE.md: all series over the range, grouped by model, avg + p95 + count of latency per hour.</summary>
    internal static TimeSeriesQuery Q2(string measurement, TimeRange range, PercentileMode mode) => new()
    {
        Measurement = measurement,
        TimeRange = range,
        GroupBy = ["model_id"],
        PercentileMode = mode,
        Aggregations =
        [
            new Aggregation { Function = AggregationFunction.Mean, Window = "1h", Fields = ["latency_ms"] },
            new Aggregation { Function = AggregationFunction.ForPercentile(95), Window = "1h", Fields = ["latency_ms"] },
            new Aggregation { Function = AggregationFunction.Count, Window = "1h", Fields = ["latency_ms"] },
        ],
    };

    public static void CreateTable(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE llm_request(ts TIMESTAMP, model_id VARCHAR, environment VARCHAR, region VARCHAR, latency_ms DOUBLE, token_count BIGINT, cost_usd DOUBLE)";
        command.ExecuteNonQuery();
    }

    public void AppendTo(DuckDBConnection connection, int from, int count)
    {
        using var appender = connection.CreateAppender("llm_request");
        for (var i = from; i < from + count; i++)
        {
            var s = Series[i];
            var tags = Tags[s];
            appender.CreateRow()
                .AppendValue(new DateTime(Ticks[i], DateTimeKind.Unspecified))
                .AppendValue(tags.ModelId)
                .AppendValue(tags.Environment)
                .AppendValue(tags.Region)
                .AppendValue(Latency[i])
                .AppendValue(Tokens[i])
                .AppendValue(Cost[i])
                .EndRow();
        }
    }
}
