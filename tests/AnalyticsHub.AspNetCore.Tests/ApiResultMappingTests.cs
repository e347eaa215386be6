using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class ApiResultMappingTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static string Write(DataPoint point) =>
        JsonSerializer.Serialize(new SeriesData { Name = "m", Points = [point] }, ApiJsonContext.Canonical.ApiResponseTimeSeriesQueryResult.Options);

    [Fact]
    public void ToApi_FirstValueIsValue_OthersKeepTheirNames()
    {
        var point = ApiResultMapping.ToApi(new TimeSeriesDataPoint
        {
            Timestamp = At,
            Values = new Dictionary<string, FieldValue?> { ["latency_ms_mean"] = FieldValue.FromDouble(12.5), ["latency_ms_count"] = FieldValue.FromInt64(4) },
        });

        Assert.Equal(12.5, point.Value);
        Assert.Equal(4, point.Fields!["latency_ms_count"].GetInt64());
        Assert.False(point.Fields.ContainsKey("latency_ms_mean"));
    }

    [Fact]
    public void ToApi_EmptyBucket_WritesValueAsNull()
    {
        var point = ApiResultMapping.ToApi(new TimeSeriesDataPoint
        {
            Timestamp = At,
            Values = new Dictionary<string, FieldValue?> { ["latency_ms_mean"] = null, ["latency_ms_count"] = FieldValue.FromInt64(0) },
        });

        Assert.Null(point.Value);
        Assert.Contains("\"value\":null", Write(point), StringComparison.Ordinal);
    }

    [Fact]
    public void ToApi_FieldsNamedValueOrTimestamp_AreRenamedSoNoKeyIsWrittenTwice()
    {
        var point = ApiResultMapping.ToApi(new TimeSeriesDataPoint
        {
            Timestamp = At,
            Values = new Dictionary<string, FieldValue?> { ["latency_ms"] = FieldValue.FromDouble(1), ["value"] = FieldValue.FromDouble(2), ["timestamp"] = FieldValue.FromString("x") },
        });

        var json = JsonDocument.Parse(Write(point)).RootElement.GetProperty("points")[0];
        Assert.Equal(1, json.GetProperty("value").GetDouble());
        Assert.Equal(2, json.GetProperty("field_value").GetDouble());
        Assert.Equal("x", json.GetProperty("field_timestamp").GetString());
        Assert.Equal(4, json.EnumerateObject().Count());
    }

    [Fact]
    public void ToApi_TextFirstValue_StaysAField()
    {
        var point = ApiResultMapping.ToApi(new TimeSeriesDataPoint
        {
            Timestamp = At,
            Values = new Dictionary<string, FieldValue?> { ["model"] = FieldValue.FromString("gpt-4o"), ["latency_ms"] = FieldValue.FromDouble(3) },
        });

        Assert.Null(point.Value);
        Assert.Equal("gpt-4o", point.Fields!["model"].GetString());
        Assert.Equal(3, point.Fields["latency_ms"].GetDouble());
    }
}
