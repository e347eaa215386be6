using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Metrics;

public class MetricWireFormatTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static T Read<T>(string json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new InvalidOperationException("null");

    private static string Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    private static JsonTypeInfo<TWire> WireInfo<TWire>() => (JsonTypeInfo<TWire>)MetricsJsonContext.Wire.GetTypeInfo(typeof(TWire))!;

    private static void AssertRoundTrip<T>(string json, JsonTypeInfo<T> readInfo)
    {
        var value = Read(json, readInfo);
        JsonTree.AssertEquivalent(json, Write(value, WireInfo<T>()));
    }

    [Fact]
    public void Counter_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """{"metric_type":"counter","name":"requests","value":42,"rate":0.7,"tags":{"model":"gpt-4"},"timestamp":"2024-01-15T10:30:00Z"}""";
        var metric = Assert.IsType<CounterMetric>(Read(json, MetricsJsonContext.Default.Metric));
        Assert.Equal("requests", metric.Name);
        Assert.Equal(42UL, metric.Value);
        Assert.Equal(0.7, metric.Rate);
        Assert.Equal("gpt-4", metric.Tags["model"]);
        Assert.Equal(T0, metric.Timestamp);
        AssertRoundTrip(json, MetricsJsonContext.Default.Metric);
    }

    [Fact]
    public void Counter_NoRate_RateKeySkippedOnWrite()
    {
        var metric = new CounterMetric { Name = "requests", Value = 1, Timestamp = T0 };
        JsonTree.AssertEquivalent(
            """{"metric_type":"counter","name":"requests","value":1,"tags":{},"timestamp":"2024-01-15T10:30:00Z"}""",
            Write<Metric>(metric, MetricsJsonContext.Wire.Metric));
    }

    [Fact]
    public void Counter_TagsMissing_DefaultsToEmpty()
    {
        var metric = Read("""{"metric_type":"counter","name":"r","value":1,"timestamp":"2024-01-15T10:30:00Z"}""", MetricsJsonContext.Default.Metric);
        Assert.Empty(metric.Tags);
        Assert.Null(((CounterMetric)metric).Rate);
    }

    [Fact]
    public void Metric_TagLast_ReadsOutOfOrderDiscriminator()
    {
        var metric = Read("""{"name":"q","value":2.5,"timestamp":"2024-01-15T10:30:00Z","metric_type":"gauge"}""", MetricsJsonContext.Default.Metric);
        Assert.Equal(2.5, Assert.IsType<GaugeMetric>(metric).Value);
    }

    [Fact]
    public void Metric_Serialize_DiscriminatorWrittenFirst()
    {
        var json = Write<Metric>(new GaugeMetric { Name = "q", Value = 1, Timestamp = T0 }, MetricsJsonContext.Wire.Metric);
        Assert.StartsWith("""{"metric_type":"gauge","name":"q",""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Gauge_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """{"metric_type":"gauge","name":"queue_depth","value":3.5,"previous_value":2.0,"tags":{},"timestamp":"2024-01-15T10:30:00.123Z"}""";
        var metric = Assert.IsType<GaugeMetric>(Read(json, MetricsJsonContext.Default.Metric));
        Assert.Equal(3.5, metric.Value);
        Assert.Equal(2.0, metric.PreviousValue);
        Assert.Equal(T0.AddMilliseconds(123), metric.Timestamp);
        AssertRoundTrip(json, MetricsJsonContext.Default.Metric);
    }

    [Fact]
    public void Gauge_NoPreviousValue_KeySkippedOnWrite()
    {
        var json = Write<Metric>(new GaugeMetric { Name = "q", Value = 1, Timestamp = T0 }, MetricsJsonContext.Wire.Metric);
        Assert.DoesNotContain("previous_value", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """
            {"metric_type":"histogram","name":"latency_ms",
             "stats":{"avg":120.5,"min":10,"max":900,"p50":100,"p95":400,"p99":800,"stddev":55.5,"count":100,"sum":12050},
             "buckets":[{"upper_bound":100,"count":50},{"upper_bound":500,"count":30},{"upper_bound":1000,"count":20}],
             "tags":{"model":"gpt-4","region":"eu"},"timestamp":"2024-01-15T10:30:00Z"}
            """;
        var metric = Assert.IsType<HistogramMetric>(Read(json, MetricsJsonContext.Default.Metric));
        Assert.Equal(100UL, metric.Stats.Count);
        Assert.Equal(55.5, metric.Stats.StdDev);
        Assert.Equal([new HistogramBucket(100, 50), new HistogramBucket(500, 30), new HistogramBucket(1000, 20)], metric.Buckets);
        Assert.Equal(2, metric.Tags.Count);
        AssertRoundTrip(json, MetricsJsonContext.Default.Metric);
    }

    [Fact]
    public void Summary_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """
            {"metric_type":"summary","name":"cost_usd",
             "stats":{"avg":0.5,"min":0.1,"max":0.9,"p50":0.5,"p95":0.85,"p99":0.89,"count":10,"sum":5},
             "percentiles":{"p999":0.899},"tags":{},"timestamp":"2024-01-15T10:30:00Z"}
            """;
        var metric = Assert.IsType<SummaryMetric>(Read(json, MetricsJsonContext.Default.Metric));
        Assert.Null(metric.Stats.StdDev);
        Assert.Equal(0.899, metric.Percentiles!["p999"]);
        AssertRoundTrip(json, MetricsJsonContext.Default.Metric);
    }

    [Fact]
    public void Summary_NoPercentiles_KeySkippedOnWrite()
    {
        var json = Write<Metric>(new SummaryMetric { Name = "s", Stats = StatisticalMeasures.Empty, Timestamp = T0 }, MetricsJsonContext.Wire.Metric);
        Assert.DoesNotContain("percentiles", json, StringComparison.Ordinal);
        Assert.DoesNotContain("stddev", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metric_type":"timer","name":"x","value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"Counter","name":"x","value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":-1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":1.0,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":1,"timestamp":"2024-01-15T10:30:00"}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":1,"timestamp":1705314600}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":1,"tags":null,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","name":null,"value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"gauge","name":"x","value":1e400,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"histogram","name":"x","stats":{"avg":1},"buckets":[],"timestamp":"2024-01-15T10:30:00Z"}""")]
    public void Metric_InvalidJson_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json, MetricsJsonContext.Default.Metric));

    [Theory]
    [InlineData("""{"metric_type":"counter","name":"x","name":"y","value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","metric_type":"counter","name":"x","value":1,"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"counter","name":"x","value":1,"tags":{"a":"1","a":"2"},"timestamp":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"metric_type":"summary","name":"x","stats":{"avg":1,"min":1,"max":1,"p50":1,"p95":1,"p99":1,"count":1,"count":2,"sum":1},"timestamp":"2024-01-15T10:30:00Z"}""")]
    public void Metric_DuplicateKey_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json, MetricsJsonContext.Default.Metric));

    [Fact]
    public void Metric_UnknownKeys_Ignored()
    {
        var metric = Read("""{"metric_type":"counter","name":"x","value":1,"unit":"s","timestamp":"2024-01-15T10:30:00+02:00"}""", MetricsJsonContext.Default.Metric);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 8, 30, 0, TimeSpan.Zero), metric.Timestamp);
        Assert.Equal(TimeSpan.Zero, metric.Timestamp.Offset);
    }

    [Fact]
    public void MetricValues_ValueAndRate_InfersCounter()
    {
        var values = Read("""{"value":3,"rate":1.5}""", MetricsJsonContext.Default.MetricValues);
        Assert.Equal(new CounterMetricValues(3, 1.5), values);
    }

    [Fact]
    public void MetricValues_ValueAndNullDelta_InfersGauge()
    {
        var values = Read("""{"value":3.0,"delta":null}""", MetricsJsonContext.Default.MetricValues);
        Assert.Equal(new GaugeMetricValues(3, null), values);
    }

    [Fact]
    public void MetricValues_ValueOnly_InfersGauge()
    {
        var values = Read("""{"value":3}""", MetricsJsonContext.Default.MetricValues);
        Assert.Equal(new GaugeMetricValues(3, null), values);
    }

    [Fact]
    public void MetricValues_ValueAndDelta_InfersGaugeWithDelta()
    {
        var values = Read("""{"delta":-0.5,"value":3}""", MetricsJsonContext.Default.MetricValues);
        Assert.Equal(new GaugeMetricValues(3, -0.5), values);
    }

    [Fact]
    public void MetricValues_StatsKeys_InfersStats()
    {
        var values = Read("""{"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"stddev":1,"count":3,"sum":6}""", MetricsJsonContext.Default.MetricValues);
        var stats = Assert.IsType<StatsMetricValues>(values).Stats;
        Assert.Equal(3UL, stats.Count);
        Assert.Equal(1.0, stats.StdDev);
        Assert.Equal(6.0, stats.Sum);
    }

    [Fact]
    public void MetricValues_StatsKeysWithRate_StatsWin()
    {
        var values = Read("""{"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"count":3,"sum":6,"rate":1,"value":2}""", MetricsJsonContext.Default.MetricValues);
        Assert.IsType<StatsMetricValues>(values);
    }

    [Theory]
    [InlineData("""{"value":3,"delta":null}""")]
    [InlineData("""{"value":3.25,"delta":0.5}""")]
    [InlineData("""{"value":3,"rate":1.5}""")]
    [InlineData("""{"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"count":3,"sum":6}""")]
    [InlineData("""{"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"stddev":1,"count":3,"sum":6}""")]
    public void MetricValues_GoldenJson_WritesSameShape(string json) => AssertRoundTrip(json, MetricsJsonContext.Default.MetricValues);

    [Fact]
    public void MetricValues_GaugeWithoutDelta_WritesDeltaNull() =>
        Assert.Equal("""{"value":1.5,"delta":null}""", Write<MetricValues>(new GaugeMetricValues(1.5, null), MetricsJsonContext.Wire.MetricValues));

    [Theory]
    [InlineData("""{"value":3,"value":4}""")]
    [InlineData("""{"value":3,"rate":1,"rate":2}""")]
    [InlineData("""{"value":3,"delta":null,"delta":1}""")]
    [InlineData("""{"avg":2,"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"count":3,"sum":6}""")]
    public void MetricValues_DuplicateKey_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json, MetricsJsonContext.Default.MetricValues));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"rate":1}""")]
    [InlineData("""{"value":-3,"rate":1}""")]
    [InlineData("""{"value":3.5,"rate":1}""")]
    [InlineData("""{"value":"3"}""")]
    [InlineData("""{"avg":1}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"value":null}""")]
    public void MetricValues_Invalid_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json, MetricsJsonContext.Default.MetricValues));

    [Fact]
    public void AggregatedMetric_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """
            {"name":"latency_ms","window":"five_minutes","window_start":"2024-01-15T10:30:00Z","window_end":"2024-01-15T10:35:00Z",
             "values":{"avg":2,"min":1,"max":3,"p50":2,"p95":3,"p99":3,"stddev":1,"count":3,"sum":6},"tags":{"model":"m1"}}
            """;
        var metric = Read(json, MetricsJsonContext.Default.AggregatedMetric);
        Assert.Equal(TimeWindow.FiveMinutes, metric.Window);
        Assert.Equal(T0, metric.WindowStart);
        Assert.Equal(T0.AddMinutes(5), metric.WindowEnd);
        Assert.IsType<StatsMetricValues>(metric.Values);
        AssertRoundTrip(json, MetricsJsonContext.Default.AggregatedMetric);
    }

    [Fact]
    public void AggregatedMetric_GaugeValues_WritesDeltaNull()
    {
        var metric = new AggregatedMetric
        {
            Name = "q",
            Window = TimeWindow.OneMonth,
            WindowStart = T0,
            WindowEnd = T0.AddDays(31),
            Values = new GaugeMetricValues(1, null),
        };
        JsonTree.AssertEquivalent(
            """{"name":"q","window":"one_month","window_start":"2024-01-15T10:30:00Z","window_end":"2024-02-15T10:30:00Z","values":{"value":1,"delta":null},"tags":{}}""",
            Write(metric, MetricsJsonContext.Wire.AggregatedMetric));
    }

    [Fact]
    public void MetricQuery_Minimal_DefaultsApplyAndWindowWrittenAsNull()
    {
        var query = Read("""{"metric_name":"latency_ms","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"}}""", MetricsJsonContext.Default.MetricQuery);
        Assert.Equal("latency_ms", query.MetricName);
        Assert.Equal(new TimeRange(T0.AddMinutes(-30), T0.AddMinutes(30)), query.TimeRange);
        Assert.Null(query.Window);
        Assert.Empty(query.TagFilters);
        Assert.Empty(query.IncludeStats);
        Assert.Empty(query.GroupBy);
        JsonTree.AssertEquivalent(
            """{"metric_name":"latency_ms","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"window":null,"tag_filters":{},"include_stats":[],"group_by":[]}""",
            Write(query, MetricsJsonContext.Wire.MetricQuery));
    }

    [Fact]
    public void MetricQuery_Full_ReadsFieldsAndWritesSameShape()
    {
        const string json = """
            {"metric_name":"latency_ms","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"window":"one_hour",
             "tag_filters":{"model":"gpt-4"},"include_stats":["avg","p50","p95","p99","stddev","count","sum","rate","min","max"],"group_by":["region"]}
            """;
        var query = Read(json, MetricsJsonContext.Default.MetricQuery);
        Assert.Equal(TimeWindow.OneHour, query.Window);
        Assert.Equal(
            [StatType.Avg, StatType.P50, StatType.P95, StatType.P99, StatType.StdDev, StatType.Count, StatType.Sum, StatType.Rate, StatType.Min, StatType.Max],
            query.IncludeStats);
        Assert.Equal(["region"], query.GroupBy);
        AssertRoundTrip(json, MetricsJsonContext.Default.MetricQuery);
    }

    [Theory]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"tag_filters":null}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"include_stats":null}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"include_stats":["median"]}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"window":"1h"}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"},"window":3}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z"}}""")]
    [InlineData("""{"metric_name":"m"}""")]
    [InlineData("""{"metric_name":"m","metric_name":"n","time_range":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"}}""")]
    [InlineData("""{"metric_name":"m","time_range":{"start":"2024-01-15T10:00:00Z","start":"2024-01-15T10:00:00Z","end":"2024-01-15T11:00:00Z"}}""")]
    public void MetricQuery_Invalid_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json, MetricsJsonContext.Default.MetricQuery));

    [Fact]
    public void MetricRollup_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """{"source_window":"one_minute","target_window":"one_hour","aggregation":"last","retention_days":90}""";
        var rollup = Read(json, MetricsJsonContext.Default.MetricRollup);
        Assert.Equal(new MetricRollup { SourceWindow = TimeWindow.OneMinute, TargetWindow = TimeWindow.OneHour, Aggregation = MetricAggregationFunction.Last, RetentionDays = 90 }, rollup);
        AssertRoundTrip(json, MetricsJsonContext.Default.MetricRollup);
        Assert.ThrowsAny<JsonException>(() => Read(json.Replace("90", "-1", StringComparison.Ordinal), MetricsJsonContext.Default.MetricRollup));
    }

    [Fact]
    public void CompositeMetric_GoldenJson_ReadsFieldsAndWritesSameShape()
    {
        const string json = """
            {"metric_id":"cost_per_request","name":"cost_per_request","description":"Cost per request",
             "source_modules":["llm-cost-ops","llm-observatory"],
             "components":[{"name":"total_cost_usd","source_module":"llm-cost-ops","value":12.0,"weight":null},
                           {"name":"request_count","source_module":"llm-observatory","value":48,"weight":0.5}],
             "value":0.25,"formula":"cost_per_request = total_cost_usd / request_count","window":"one_hour","timestamp":"2024-01-15T10:00:00Z"}
            """;
        var metric = Read(json, MetricsJsonContext.Default.CompositeMetric);
        Assert.Equal(0.25, metric.Value);
        Assert.Null(metric.Components[0].Weight);
        Assert.Equal(0.5, metric.Components[1].Weight);
        Assert.Equal(["llm-cost-ops", "llm-observatory"], metric.SourceModules);
        AssertRoundTrip(json, MetricsJsonContext.Default.CompositeMetric);
    }

    [Fact]
    public void CrossModuleMetrics_Empty_WritesEveryKeyAsNull()
    {
        JsonTree.AssertEquivalent(
            """{"cost_per_request":null,"error_adjusted_throughput":null,"compliance_weighted_performance":null,"security_adjusted_cost_efficiency":null,"system_health_score":null}""",
            Write(new CrossModuleMetrics(), MetricsJsonContext.Wire.CrossModuleMetrics));
        var read = Read("""{"cost_per_request":0.25}""", MetricsJsonContext.Default.CrossModuleMetrics);
        Assert.Equal(new CrossModuleMetrics { CostPerRequest = 0.25 }, read);
    }

    [Theory]
    [InlineData(TimeWindow.OneMinute, "one_minute", 60L, "1m")]
    [InlineData(TimeWindow.FiveMinutes, "five_minutes", 300L, "5m")]
    [InlineData(TimeWindow.FifteenMinutes, "fifteen_minutes", 900L, "15m")]
    [InlineData(TimeWindow.OneHour, "one_hour", 3600L, "1h")]
    [InlineData(TimeWindow.SixHours, "six_hours", 21600L, "6h")]
    [InlineData(TimeWindow.OneDay, "one_day", 86400L, "1d")]
    [InlineData(TimeWindow.OneWeek, "one_week", 604800L, "1w")]
    [InlineData(TimeWindow.OneMonth, "one_month", 2592000L, "1M")]
    public void TimeWindow_EachVariant_WireNameSecondsAndLabel(TimeWindow window, string wire, long seconds, string label)
    {
        Assert.Equal($"\"{wire}\"", Write(window, MetricsJsonContext.Wire.TimeWindow));
        Assert.Equal(window, Read($"\"{wire}\"", MetricsJsonContext.Default.TimeWindow));
        Assert.Equal(seconds, window.ToSeconds());
        Assert.Equal(label, window.ToLabel());
        Assert.True(TimeWindowExtensions.TryParseLabel(label, out var parsed));
        Assert.Equal(window, parsed);
    }

    [Fact]
    public void TimeWindow_NumberOrLabel_Rejected()
    {
        Assert.ThrowsAny<JsonException>(() => Read("0", MetricsJsonContext.Default.TimeWindow));
        Assert.ThrowsAny<JsonException>(() => Read("\"1m\"", MetricsJsonContext.Default.TimeWindow));
        Assert.False(TimeWindowExtensions.TryParseLabel("1y", out _));
    }

    [Theory]
    [InlineData(StatType.Avg, "avg")]
    [InlineData(StatType.P50, "p50")]
    [InlineData(StatType.P95, "p95")]
    [InlineData(StatType.P99, "p99")]
    [InlineData(StatType.StdDev, "stddev")]
    [InlineData(StatType.Count, "count")]
    [InlineData(StatType.Rate, "rate")]
    public void StatType_Variant_WritesLowercaseName(StatType stat, string wire) =>
        Assert.Equal($"\"{wire}\"", Write(stat, MetricsJsonContext.Wire.StatType));

    [Theory]
    [InlineData(MetricAggregationFunction.Avg, "avg")]
    [InlineData(MetricAggregationFunction.First, "first")]
    [InlineData(MetricAggregationFunction.Last, "last")]
    public void MetricAggregationFunction_Variant_WritesLowercaseName(MetricAggregationFunction function, string wire) =>
        Assert.Equal($"\"{wire}\"", Write(function, MetricsJsonContext.Wire.MetricAggregationFunction));

    [Fact]
    public void TimeRange_Serialize_WritesOnlyStartAndEnd() =>
        Assert.Equal(
            """{"start":"2024-01-15T10:30:00Z","end":"2024-01-15T10:31:00Z"}""",
            Write(new TimeRange(T0, T0.AddMinutes(1)), MetricsJsonContext.Wire.TimeRange));
}
