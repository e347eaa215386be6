using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.TimeSeries;

public class TimeSeriesQueryValidationTests
{
    private static Problem SingleError(TimeSeriesQuery query)
    {
        var outcome = new InMemoryTimeSeriesStore().QueryAsync(query).AsTask().GetAwaiter().GetResult();
        Assert.False(outcome.IsSuccess);
        return Assert.Single(outcome.Errors);
    }

    public static TheoryData<string, string, TimeSeriesQuery> Cases => new()
    {
        { ProblemCodes.MeasurementRequired, "measurement", Query() with { Measurement = "" } },
        { ProblemCodes.InvalidTimeRange, "time_range", Query(new TimeRange(T0, T0.AddSeconds(-1))) },
        { ProblemCodes.InvalidWindow, "aggregations[0].window", Query(null, Agg(AggregationFunction.Mean, "5 minutes")) },
        { ProblemCodes.InvalidWindow, "aggregations[0].window", Query(null, Agg(AggregationFunction.Mean, "1M")) },
        { ProblemCodes.InvalidWindow, "aggregations[0].window", Query(null, Agg(AggregationFunction.Mean, "0m")) },
        { ProblemCodes.InvalidWindow, "aggregation.window", Query() with { Aggregation = Agg(AggregationFunction.Mean, "1y") } },
        { ProblemCodes.ConflictingWindows, "aggregations[1].window", Query(null, Agg(AggregationFunction.Mean, "5m"), Agg(AggregationFunction.Max, "1h")) },
        { ProblemCodes.ConflictingAggregations, "aggregations", Query(null, Agg(AggregationFunction.Mean)) with { Aggregation = Agg(AggregationFunction.Max) } },
        { ProblemCodes.InvalidPercentile, "aggregations[0].function", Query(null, Agg(AggregationFunction.ForPercentile(101))) },
        { ProblemCodes.InvalidName, "group_by[1]", Query() with { GroupBy = ["model_id", "model_id"] } },
        { ProblemCodes.InvalidName, "select_fields[0]", Query() with { SelectFields = [""] } },
        { ProblemCodes.InvalidName, "aggregations[0].fields[0]", Query(null, Agg(AggregationFunction.Mean, null, "")) },
        { ProblemCodes.InvalidName, "tag_conditions[0].tag", Query() with { TagConditions = [new TagCondition { Tag = "", Op = TagConditionOperator.Eq, Values = ["a"] }] } },
        { ProblemCodes.InvalidTagCondition, "tag_conditions[0].values", Query() with { TagConditions = [new TagCondition { Tag = "a", Op = TagConditionOperator.Eq, Values = ["a", "b"] }] } },
        { ProblemCodes.InvalidTagCondition, "tag_conditions[0].values", Query() with { TagConditions = [new TagCondition { Tag = "a", Op = TagConditionOperator.In, Values = [] }] } },
        { ProblemCodes.InvalidRegex, "tag_conditions[0].values[0]", Query() with { TagConditions = [new TagCondition { Tag = "a", Op = TagConditionOperator.Regex, Values = ["(unclosed"] }] } },
        { ProblemCodes.FillRequiresWindow, "fill", Query(null, Agg(AggregationFunction.Mean)) with { Fill = FillStrategy.Zero } },
        { ProblemCodes.FillRequiresWindow, "fill", Query() with { Fill = FillStrategy.Linear } },
        { ProblemCodes.TooManyBuckets, "aggregations[0].window", Query(new TimeRange(T0, T0.AddDays(365)), Agg(AggregationFunction.Mean, "1m")) },
        { ProblemCodes.TooComplex, "aggregations", Query(null, [.. Enumerable.Range(0, 65).Select(_ => Agg(AggregationFunction.Mean))]) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void QueryAsync_InvalidQuery_ReportsCodeAndPath(string code, string path, TimeSeriesQuery query)
    {
        var error = SingleError(query);

        Assert.Equal((code, path), (error.Code, error.Path));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m", 60)]
    [InlineData("5m", 300)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("6h", 21600)]
    [InlineData("1d", 86400)]
    [InlineData("1w", 604800)]
    [InlineData("90m", 5400)]
    public void TimeBucketWindow_TryParse_ValidWindow_Width(string text, int seconds)
    {
        Assert.True(TimeBucketWindow.TryParse(text, out var window, out var error));
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), window.Width);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-1m")]
    [InlineData("1.5h")]
    [InlineData("1 h")]
    [InlineData("5min")]
    [InlineData("400d")]
    [InlineData("99999999999999999999s")]
    public void TimeBucketWindow_TryParse_Invalid_ClearError(string text)
    {
        Assert.False(TimeBucketWindow.TryParse(text, out _, out var error));
        Assert.Contains("Invalid window", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeBucketWindow_Week_AlignsToMonday()
    {
        Assert.True(TimeBucketWindow.TryParse("1w", out var week, out _));
        var friday = new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).UtcTicks, week.BucketStart(friday.UtcTicks));
    }

    [Fact]
    public void TimeBucketWindow_BeforeEpoch_FloorsDown()
    {
        Assert.True(TimeBucketWindow.TryParse("1h", out var hour, out _));
        var instant = new DateTimeOffset(1969, 12, 31, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(1969, 12, 31, 23, 0, 0, TimeSpan.Zero).UtcTicks, hour.BucketStart(instant.UtcTicks));
    }
}
