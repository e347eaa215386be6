using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>Small builders for points and queries.</summary>
internal static class TimeSeriesTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static TagSet Tags(string model = "gpt-4o", string environment = "production", string? region = null, Dictionary<string, string>? custom = null) => new()
    {
        SourceModule = "llm-observatory",
        Environment = environment,
        ModelId = model,
        Region = region,
        Custom = custom ?? new Dictionary<string, string>(),
    };

    public static FieldSet Fields(params (string Name, double Value)[] fields)
    {
        var list = new List<KeyValuePair<string, FieldValue>>();
        foreach (var (name, value) in fields)
        {
            list.Add(new(name, FieldValue.FromDouble(value)));
        }

        return new FieldSet(list);
    }

    public static TimeSeriesPoint Point(DateTimeOffset at, double latency, string model = "gpt-4o", string environment = "production", string measurement = "llm_request", string? region = null) => new()
    {
        Measurement = measurement,
        Timestamp = at,
        Tags = Tags(model, environment, region),
        Fields = Fields(("latency_ms", latency)),
    };

    public static TimeSeriesQuery Query(TimeRange? range = null, params Aggregation[] aggregations) => new()
    {
        Measurement = "llm_request",
        TimeRange = range ?? new TimeRange(T0, T0.AddDays(1)),
        Aggregations = aggregations.Length == 0 ? null : aggregations,
    };

    public static Aggregation Agg(AggregationFunction function, string? window = null, params string[] fields) => new()
    {
        Function = function,
        Window = window,
        Fields = fields,
    };

    public static double Number(FieldValue? value)
    {
        Assert.NotNull(value);
        Assert.True(value!.Value.TryGetDouble(out var number));
        return number;
    }
}
