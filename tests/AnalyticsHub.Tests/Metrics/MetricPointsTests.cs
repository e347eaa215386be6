using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>The metric → point mapping (<c>to_fields</c>), the checks before ingestion and counter/gauge continuity.</summary>
public class MetricPointsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Tags = new() { ["source_module"] = "llm-observatory", ["environment"] = "prod", ["team"] = "a" };

    private static StatisticalMeasures Stats(ulong count) => new() { Avg = 2, Min = 1, Max = 4, P50 = 2, P95 = 4, P99 = 4, Count = count, Sum = 2.0 * count };

    [Fact]
    public void ToPoint_Histogram_StatisticsAndOneFieldPerBucket()
    {
        var point = MetricPoints.ToPoint(new HistogramMetric
        {
            Name = "request_seconds", Tags = Tags, Timestamp = T0, Stats = Stats(100),
            Buckets = [new(0.5, 50), new(1, 30), new(2.5, 20)],
        });

        Assert.Equal(("request_seconds", T0, "llm-observatory", "a"), (point.Measurement, point.Timestamp, point.Tags.SourceModule, point.Tags.Custom["team"]));
        Assert.Equal(["avg", "min", "max", "p50", "p95", "p99", "count", "sum", "bucket_le_0.5", "bucket_le_1", "bucket_le_2.5"], point.Fields.Keys);
        Assert.Equal(FieldValue.FromUInt64(30), point.Fields["bucket_le_1"]);
        Assert.Equal(FieldValue.FromUInt64(100), point.Fields["count"]);
    }

    [Fact]
    public void ToFields_SummaryCounterGauge_AsDocumented()
    {
        var summary = MetricPoints.ToFields(new SummaryMetric
        {
            Name = "s", Timestamp = T0, Stats = Stats(3) with { StdDev = 0.5 }, Percentiles = new Dictionary<string, double> { ["p99.9"] = 3.9 },
        });
        Assert.Equal(FieldValue.FromDouble(3.9), summary["quantile_p99.9"]);
        Assert.Equal(FieldValue.FromDouble(0.5), summary["stddev"]);

        Assert.Equal(["value", "rate"], MetricPoints.ToFields(new CounterMetric { Name = "c", Timestamp = T0, Value = 7, Rate = 0.5 }).Keys);
        Assert.Equal(["value"], MetricPoints.ToFields(new CounterMetric { Name = "c", Timestamp = T0, Value = 7 }).Keys);
        var gauge = MetricPoints.ToFields(new GaugeMetric { Name = "g", Timestamp = T0, Value = 3, PreviousValue = 5 });
        Assert.Equal(FieldValue.FromDouble(-2), gauge["delta"]);
        Assert.Equal(FieldValue.FromDouble(5), gauge["previous_value"]);
    }

    public static TheoryData<Metric, string, string> BadMetrics => new()
    {
        { new CounterMetric { Name = "", Tags = Tags, Timestamp = T0, Value = 1 }, ProblemCodes.EmptyValue, "$.name" },
        { new CounterMetric { Name = "c", Timestamp = T0, Value = 1 }, ProblemCodes.MissingField, "$.tags.source_module" },
        { new CounterMetric { Name = "c", Tags = Tags, Timestamp = default, Value = 1 }, ProblemCodes.InvalidTimestamp, "$.timestamp" },
        { new CounterMetric { Name = "c", Tags = Tags, Timestamp = T0, Value = 1, Rate = -1 }, ProblemCodes.NegativeValue, "$.rate" },
        { new GaugeMetric { Name = "g", Tags = Tags, Timestamp = T0, Value = double.NaN }, ProblemCodes.NonFiniteNumber, "$.value" },
        { new HistogramMetric { Name = "h", Tags = Tags, Timestamp = T0, Stats = Stats(10), Buckets = [new(2, 5), new(1, 5)] }, ProblemCodes.NotOrdered, "$.buckets[1].upper_bound" },
        { new HistogramMetric { Name = "h", Tags = Tags, Timestamp = T0, Stats = Stats(10), Buckets = [new(1, 5), new(2, 15)] }, ProblemCodes.ValidationError, "$.buckets" },
        { new SummaryMetric { Name = "s", Tags = Tags, Timestamp = T0, Stats = Stats(1), Percentiles = new Dictionary<string, double> { ["q9"] = 1 } }, ProblemCodes.InvalidPercentile, "$.percentiles.q9" },
        { new SummaryMetric { Name = "s", Tags = Tags, Timestamp = T0, Stats = Stats(1) with { Min = 5 } }, ProblemCodes.NotOrdered, "$.stats.min" },
    };

    [Theory]
    [MemberData(nameof(BadMetrics))]
    public void Validate_BadMetric_CodeAndPath(Metric metric, string code, string path)
    {
        var problems = MetricPoints.Validate(metric);
        Assert.Contains(problems, p => p.Code == code && p.Path == path);
    }

    [Fact]
    public void Validate_GoodMetric_NoProblems() =>
        Assert.Empty(MetricPoints.Validate(new HistogramMetric { Name = "h", Tags = Tags, Timestamp = T0, Stats = Stats(10), Buckets = [new(1, 4), new(2, 6)] }));

    [Fact]
    public void Continuity_CounterWithoutRate_RatePerSecondSinceThePreviousWithResets()
    {
        var continuity = new MetricContinuity();
        CounterMetric Counter(ulong value, int seconds) => new() { Name = "requests", Tags = Tags, Timestamp = T0.AddSeconds(seconds), Value = value };

        Assert.Null(((CounterMetric)continuity.Complete(Counter(100, 0))).Rate);
        Assert.Equal(5.0, ((CounterMetric)continuity.Complete(Counter(150, 10))).Rate);
        Assert.Equal(2.0, ((CounterMetric)continuity.Complete(Counter(40, 30))).Rate); // reset: 40 since the previous
        Assert.Null(((CounterMetric)continuity.Complete(Counter(500, 20))).Rate); // out of order: left as it is
        Assert.Equal(0.75, ((CounterMetric)continuity.Complete(Counter(55, 50))).Rate);
    }

    [Fact]
    public void Continuity_GaugeWithoutPrevious_PreviousValueOfItsSeriesOnly()
    {
        var continuity = new MetricContinuity();
        GaugeMetric Gauge(double value, int seconds, string team) =>
            new() { Name = "queue", Tags = new Dictionary<string, string>(Tags) { ["team"] = team }, Timestamp = T0.AddSeconds(seconds), Value = value };

        Assert.Null(((GaugeMetric)continuity.Complete(Gauge(3, 0, "a"))).PreviousValue);
        Assert.Null(((GaugeMetric)continuity.Complete(Gauge(9, 1, "b"))).PreviousValue);
        Assert.Equal(3, ((GaugeMetric)continuity.Complete(Gauge(4, 2, "a"))).PreviousValue);
    }
}
