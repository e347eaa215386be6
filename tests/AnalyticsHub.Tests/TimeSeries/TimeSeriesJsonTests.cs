using System.Text.Json;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.TimeSeries;

public class TimeSeriesJsonTests
{
    private static T Read<T>(string json) => (T)JsonSerializer.Deserialize(json, typeof(T), TimeSeriesJsonContext.Default)!;

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, typeof(T), TimeSeriesJsonContext.Wire);

    [Fact]
    public void TagSet_CustomTags_FlattenedAsSiblingKeys()
    {
        var tags = Read<TagSet>("""{"source_module":"llm-observatory","environment":"prod","model_id":"gpt-4","team":"a"}""");

        Assert.Equal("gpt-4", tags.ModelId);
        Assert.Equal("a", tags.Custom["team"]);
        Assert.Equal("""{"source_module":"llm-observatory","environment":"prod","model_id":"gpt-4","team":"a"}""", Write(tags));
    }

    [Theory]
    [InlineData("""{"environment":"prod"}""")]
    [InlineData("""{"source_module":"x","environment":"prod","team":"a","team":"b"}""")]
    [InlineData("""{"source_module":"x","environment":"prod","team":1}""")]
    public void TagSet_MissingRequiredDuplicateOrNonString_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read<TagSet>(json));

    [Fact]
    public void FieldSet_Numbers_KeepIntegerUnsignedAndFloatKinds()
    {
        const string Json = """{"a":5,"b":5.0,"c":18446744073709551615,"d":-9223372036854775808,"e":1e3,"f":"x","g":true}""";

        var fields = Read<FieldSet>(Json);

        Assert.Equal(FieldValue.FromInt64(5), fields["a"]);
        Assert.Equal(FieldValueKind.Float, fields["b"].Kind);
        Assert.Equal(FieldValue.FromUInt64(ulong.MaxValue), fields["c"]);
        Assert.Equal(FieldValue.FromInt64(long.MinValue), fields["d"]);
        Assert.Equal(FieldValue.FromDouble(1000), fields["e"]);
        Assert.Equal(FieldValue.FromString("x"), fields["f"]);
        Assert.Equal(FieldValue.FromBoolean(true), fields["g"]);
        Assert.Equal("""{"a":5,"b":5.0,"c":18446744073709551615,"d":-9223372036854775808,"e":1000.0,"f":"x","g":true}""", Write(fields));
        Assert.Equal(Write(fields), Write(Read<FieldSet>(Write(fields))));
    }

    [Fact]
    public void FieldSet_NamedAccessors_ReadTypedValues()
    {
        var fields = Read<FieldSet>("""{"latency_ms":12.5,"token_count":150,"cost_usd":0.002}""");

        Assert.Equal(12.5, fields.LatencyMs);
        Assert.Equal(150UL, fields.TokenCount);
        Assert.Equal(0.002, fields.CostUsd);
        Assert.Null(fields.ThreatCount);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1e400}""")]
    [InlineData("""{"a":null}""")]
    [InlineData("""{"a":[1]}""")]
    public void FieldSet_DuplicateOutOfRangeNullOrNested_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read<FieldSet>(json));

    [Theory]
    [InlineData("\"mean\"", "\"mean\"")]
    [InlineData("\"MEDIAN\"", "\"median\"")]
    [InlineData("""{"percentile":95}""", """{"percentile":95}""")]
    [InlineData("""{"percentile":255}""", """{"percentile":255}""")]
    public void AggregationFunction_WireForms_RoundTrip(string json, string canonical) =>
        Assert.Equal(canonical, Write(Read<AggregationFunction>(json)));

    [Theory]
    [InlineData("\"avg\"")]
    [InlineData("""{"percentile":256}""")]
    [InlineData("""{"percentile":9.5}""")]
    [InlineData("""{"other":1}""")]
    public void AggregationFunction_Unknown_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read<AggregationFunction>(json));

    [Theory]
    [InlineData("\"null\"", "\"null\"")]
    [InlineData("\"previous\"", "\"previous\"")]
    [InlineData("\"linear\"", "\"linear\"")]
    [InlineData("\"zero\"", "\"zero\"")]
    [InlineData("""{"value":7}""", """{"value":7}""")]
    public void FillStrategy_WireForms_RoundTrip(string json, string canonical) =>
        Assert.Equal(canonical, Write(Read<FillStrategy>(json)));

    [Fact]
    public void FillStrategy_FractionalValue_Rejected() =>
        Assert.ThrowsAny<JsonException>(() => Read<FillStrategy>("""{"value":7.5}"""));

    [Fact]
    public void TimeSeriesQuery_Decision9Fields_ReadAndWrittenBack()
    {
        const string Json = """
            {"measurement":"llm_request","time_range":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00+02:00"},
             "tag_filters":{"model_id":"gpt-4"},"aggregations":[{"function":{"percentile":95},"window":"5m","fields":["latency_ms"]},{"function":"count","fields":[]}],
             "tag_conditions":[{"tag":"region","op":"in","values":["eu","us"]}],"percentile_mode":"sketch","group_by":["region"],"fill":{"value":0},"limit":10}
            """;

        var query = Read<TimeSeriesQuery>(Json);

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 22, 0, 0, TimeSpan.Zero), query.TimeRange.End);
        Assert.Equal(AggregationFunction.ForPercentile(95), query.Aggregations![0].Function);
        Assert.Equal(TagConditionOperator.In, query.TagConditions![0].Op);
        Assert.Equal(PercentileMode.Sketch, query.PercentileMode);
        Assert.Equal(FillStrategy.WithValue(0), query.Fill);
        var written = Write(query);
        Assert.Contains("\"percentile_mode\":\"sketch\"", written, StringComparison.Ordinal);
        Assert.Contains("\"op\":\"in\"", written, StringComparison.Ordinal);
        Assert.Contains("\"end\":\"2026-11-27T22:00:00Z\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"aggregation\"", written, StringComparison.Ordinal);
        Assert.Equal(written, Write(Read<TimeSeriesQuery>(written)));
    }

    [Fact]
    public void TimeSeriesQuery_SingleAggregationOfOriginalShape_Read()
    {
        var query = Read<TimeSeriesQuery>("""{"measurement":"m","time_range":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z"},"aggregation":{"function":"mean","window":"1h","fields":["x"]}}""");

        Assert.Equal(AggregationFunction.Mean, query.Aggregation!.Function);
        Assert.Empty(query.TagFilters);
        Assert.Empty(query.GroupBy);
    }

    [Theory]
    [InlineData("""{"time_range":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z"}}""")]
    [InlineData("""{"measurement":"m","measurement":"n","time_range":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z"}}""")]
    [InlineData("""{"measurement":"m","time_range":{"start":"2026-11-27T00:00:00","end":"2026-11-28T00:00:00Z"}}""")]
    [InlineData("""{"measurement":"m","time_range":{"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z"},"tag_conditions":[{"tag":"a","op":"like","values":[]}]}""")]
    public void TimeSeriesQuery_MissingDuplicateZonelessOrUnknownOp_Rejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read<TimeSeriesQuery>(json));

    [Fact]
    public void TimeSeriesPoint_RoundTrip_KeepsEverything()
    {
        const string Json = """{"measurement":"llm_request","timestamp":"2026-11-27T10:30:00.123Z","tags":{"source_module":"llm-observatory","environment":"prod","region":"eu"},"fields":{"latency_ms":812.5,"token_count":150},"metadata":{"k":"v"}}""";

        var point = Read<TimeSeriesPoint>(Json);

        Assert.Equal(Json, Write(point));
    }

    [Fact]
    public void RetentionPolicy_Default_MatchesSpec() =>
        Assert.Equal(
            """{"name":"default","full_resolution_days":7,"downsample_configs":[{"after_days":7,"resolution_minutes":5},{"after_days":30,"resolution_minutes":60},{"after_days":90,"resolution_minutes":1440}],"max_retention_days":365,"shard_duration_hours":24}""",
            Write(RetentionPolicy.Default));

    [Fact]
    public void IndexConfig_Default_MatchesSpec() =>
        Assert.Equal(
            """{"measurement":"","indexed_tags":["source_module","environment","model_id"],"shard_keys":["source_module","environment"],"time_partitioning":true,"partition_interval_hours":24}""",
            Write(IndexConfig.Default));

    [Fact]
    public void TimeSeriesResult_NullValue_WrittenAsNull()
    {
        var result = new TimeSeriesResult
        {
            Measurement = "m",
            Series = [new TimeSeriesResultSeries { Tags = new Dictionary<string, string>(), Points = [new TimeSeriesDataPoint { Timestamp = TimeSeriesTestData.T0, Values = new Dictionary<string, FieldValue?> { ["x_mean"] = null, ["x_count"] = FieldValue.FromInt64(0) } }] }],
            Metadata = new QueryMetadata { ExecutionTimeMs = 1, PointCount = 1, SeriesCount = 1, Truncated = false, PointsScanned = 3, GroupCount = 1, Resolutions = ["raw"] },
        };

        Assert.Equal(
            """{"measurement":"m","series":[{"tags":{},"points":[{"timestamp":"2026-11-27T00:00:00Z","values":{"x_mean":null,"x_count":0}}]}],"metadata":{"execution_time_ms":1,"point_count":1,"series_count":1,"truncated":false,"warnings":[],"points_scanned":3,"group_count":1,"resolutions":["raw"]}}""",
            Write(result));
    }
}
