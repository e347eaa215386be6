using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.TimeSeries;

public class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 13, 47, 0, TimeSpan.Zero);

    [Fact]
    public void Create_DefaultPolicy_CutsAtFullResolutionAndFoldsEachStep()
    {
        var plan = RetentionPlan.Create(RetentionPolicy.Default, Now);

        Assert.True(plan.Downsamples);
        Assert.Equal(TimeSpan.FromMinutes(5).Ticks, plan.RawResolutionTicks);
        Assert.Equal(Now.AddDays(-7).AddMinutes(-2).UtcTicks, plan.RawCutoff);
        Assert.Equal(Now.AddDays(-365).UtcTicks, plan.MaxAgeTicks);
        Assert.Equal(new DateTimeOffset(2025, 12, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks, plan.ShardDropBefore);
        Assert.Equal(
            [
                new RetentionFold(TimeSpan.FromMinutes(5).Ticks, Now.AddDays(-7).AddMinutes(-2).UtcTicks),
                new RetentionFold(TimeSpan.FromHours(1).Ticks, Now.AddDays(-30).AddMinutes(-47).UtcTicks),
                new RetentionFold(TimeSpan.FromDays(1).Ticks, new DateTimeOffset(2026, 9, 6, 0, 0, 0, TimeSpan.Zero).UtcTicks),
            ],
            plan.Folds);
        Assert.Equal(plan.MaxAgeTicks - TimeSpan.TicksPerHour + 1, plan.RollupDropBefore(TimeSpan.TicksPerHour));
    }

    [Fact]
    public void Create_NoSteps_DropsRawDataByWholeShards()
    {
        var policy = RetentionPolicy.Default with { DownsampleConfigs = [], FullResolutionDays = 30, MaxRetentionDays = 30, ShardDurationHours = 6 };

        var plan = RetentionPlan.Create(policy, Now);

        Assert.False(plan.Downsamples);
        Assert.Empty(plan.Folds);
        Assert.Equal(new DateTimeOffset(2026, 11, 5, 12, 0, 0, TimeSpan.Zero).UtcTicks, plan.RawCutoff);
        Assert.Equal(plan.ShardDropBefore, plan.RawCutoff);
    }

    [Theory]
    [InlineData(-1, 5, -5)]
    [InlineData(-5, 5, -5)]
    [InlineData(7, 5, 5)]
    [InlineData(0, 5, 0)]
    public void Floor_AlignsToTheEpochForNegativeTicksToo(long ticks, long width, long expected) => Assert.Equal(expected, RetentionPlan.Floor(ticks, width));

    [Fact]
    public void ContinuousQueryPlan_Valid_RollsNamedNumericFieldsIntoGroupSeries()
    {
        var definition = new ContinuousQuery
        {
            QueryId = "hourly",
            Name = "hourly",
            SourceMeasurement = "llm_request",
            DestinationMeasurement = "llm_request_1h",
            Query = Query(null, Agg(AggregationFunction.Mean, "1h", "latency_ms")) with { GroupBy = ["model_id"], TagFilters = new Dictionary<string, string> { ["region"] = "eu" } },
            Interval = "1m",
            Enabled = true,
        };

        Assert.True(ContinuousQueryPlan.TryCreate(definition, out var plan, out var errors), string.Join("; ", errors));

        var tags = new Dictionary<string, string> { ["model_id"] = "m1", ["region"] = "eu", ["env"] = "prod" };
        Func<Dictionary<string, string>, string, string?> get = static (t, k) => t.TryGetValue(k, out var v) ? v : null;
        Assert.True(plan!.Matches(tags, get));
        Assert.False(plan.Matches(new Dictionary<string, string> { ["region"] = "us" }, get));
        Assert.Equal(new Dictionary<string, string> { ["model_id"] = "m1" }, plan.GroupTags(tags, get));
        Assert.Equal(T0.UtcTicks, plan.BucketStart(T0.AddMinutes(59).UtcTicks));
        Assert.True(plan.RollsField("latency_ms", FieldValue.FromInt64(3), out var number));
        Assert.Equal(3, number);
        Assert.False(plan.RollsField("token_count", FieldValue.FromInt64(3), out _));
        Assert.False(plan.RollsField("latency_ms", FieldValue.FromString("x"), out _));
    }

    [Fact]
    public void ContinuousQueryPlan_WindowNotARollupResolution_IsInvalidWithPath()
    {
        var definition = new ContinuousQuery
        {
            QueryId = "odd",
            Name = "odd",
            SourceMeasurement = "llm_request",
            DestinationMeasurement = "out",
            Query = Query(null, Agg(AggregationFunction.Mean, "7m")),
            Interval = "1m",
            Enabled = true,
        };

        Assert.False(ContinuousQueryPlan.TryCreate(definition, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(ProblemCodes.InvalidContinuousQuery, error.Code);
        Assert.Equal("query.aggregations", error.Path);
    }
}
