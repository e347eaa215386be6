using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>The shared query semantics a backend drives with its own scan: the grid, the raw builder and their limits.</summary>
public class AggregationGridTests
{
    private static readonly Func<Dictionary<string, string>, string, string?> Get = static (t, k) => t.TryGetValue(k, out var v) ? v : null;

    private static TimeSeriesQueryPlan Plan(TimeSeriesQuery query, TimeSeriesQueryLimits? limits = null)
    {
        Assert.True(TimeSeriesQueryPlan.TryCreate(query, limits ?? TimeSeriesQueryLimits.Default, out var plan, out var errors), string.Join("; ", errors));
        return plan!;
    }

    private static double Number(TimeSeriesDataPoint point, string name)
    {
        Assert.True(point.Values[name]!.Value.TryGetDouble(out var value));
        return value;
    }

    [Fact]
    public void ToResult_FedByHand_GivesMeanExactP95AndCountPerGroupAndBucket()
    {
        var plan = Plan(Query(new TimeRange(T0, T0.AddHours(2)),
            Agg(AggregationFunction.Mean, "1h", "latency_ms"), Agg(AggregationFunction.ForPercentile(95), "1h", "latency_ms"), Agg(AggregationFunction.Count, "1h", "latency_ms"))
            with { GroupBy = ["model_id"] });
        using var grid = new AggregationGrid(plan);
        Assert.True(grid.TryAddSeries(new Dictionary<string, string> { ["model_id"] = "b" }, Get, out var b, out _));
        Assert.True(grid.TryAddSeries(new Dictionary<string, string> { ["model_id"] = "a" }, Get, out var a, out _));
        Assert.True(grid.TryAllocate(null, readsRollups: false, out _));
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.True(grid.NeedsCountingPass);
        foreach (var pass in new[] { true, false })
        {
            foreach (var v in values)
            {
                var ticks = T0.AddMinutes(v % 60).UtcTicks;
                var cell = grid.CellOf(a, ticks);
                if (pass)
                {
                    grid.Accumulator(0).CountValue(cell);
                }
                else
                {
                    grid.Accumulator(0).Add(cell, ticks, v);
                    grid.MarkData(cell);
                }
            }

            if (pass)
            {
                grid.EndCountingPass();
            }
        }

        var result = grid.ToResult(new QueryScanStatistics(System.Diagnostics.Stopwatch.GetTimestamp(), values.Length, 0, [])).Result!;

        var series = Assert.Single(result.Series);
        Assert.Equal("a", series.Tags["model_id"]);
        var point = Assert.Single(series.Points);
        Assert.Equal(T0, point.Timestamp);
        Assert.Equal(50.5, Number(point, "latency_ms_mean"), 9);
        Assert.Equal(95.05, Number(point, "latency_ms_p95"), 9);
        Assert.Equal(100, Number(point, "latency_ms_count"));
        Assert.Equal(["raw"], result.Metadata.Resolutions);
        Assert.Equal(1UL, result.Metadata.GroupCount);
        _ = b;
    }

    [Fact]
    public void ToResult_LinearFill_InterpolatesBetweenBucketsWithData()
    {
        var plan = Plan(Query(new TimeRange(T0, T0.AddMinutes(4)), Agg(AggregationFunction.Mean, "1m", "x")) with { Fill = FillStrategy.Linear });
        using var grid = new AggregationGrid(plan);
        Assert.True(grid.TryAddSeries(new Dictionary<string, string>(), Get, out var group, out _));
        Assert.True(grid.TryAllocate(null, false, out _));
        foreach (var (minute, value) in new[] { (0, 10.0), (3, 40.0) })
        {
            var ticks = T0.AddMinutes(minute).UtcTicks;
            grid.Accumulator(0).Add(grid.CellOf(group, ticks), ticks, value);
            grid.MarkData(grid.CellOf(group, ticks));
        }

        var points = grid.ToResult(new QueryScanStatistics(0, 2, 0, [])).Result!.Series[0].Points;

        Assert.Equal([10.0, 20.0, 30.0, 40.0], points.Select(p => Number(p, "x_mean")));
    }

    [Fact]
    public void TryAddSeries_BeyondMaxGroups_FailsWithTooManyGroups()
    {
        var plan = Plan(Query(null, Agg(AggregationFunction.Mean, "1h", "x")) with { GroupBy = ["k"] }, TimeSeriesQueryLimits.Default with { MaxGroups = 2 });
        using var grid = new AggregationGrid(plan);
        Problem? error = null;
        var added = 0;
        foreach (var value in new[] { "1", "2", "1", "3" })
        {
            if (!grid.TryAddSeries(new Dictionary<string, string> { ["k"] = value }, Get, out _, out error))
            {
                break;
            }

            added++;
        }

        Assert.Equal(3, added);
        Assert.Equal(ProblemCodes.TooManyGroups, error!.Code);
        Assert.Equal("group_by", error.Path);
    }

    [Fact]
    public void TryAllocate_BeyondMaxCells_FailsWithTooManyGroups()
    {
        var plan = Plan(Query(null, Agg(AggregationFunction.Mean, "1m", "x")), TimeSeriesQueryLimits.Default with { MaxCells = 100 });
        using var grid = new AggregationGrid(plan);
        Assert.True(grid.TryAddSeries(new Dictionary<string, string>(), Get, out _, out _));

        Assert.False(grid.TryAllocate(null, false, out var error));
        Assert.Equal(ProblemCodes.TooManyGroups, error!.Code);
    }

    [Fact]
    public void TryAllocate_WithRollupsAndExactPercentile_SwitchesToSketchesWithAWarning()
    {
        var plan = Plan(Query(null, Agg(AggregationFunction.Median, "1h", "x")));
        using var grid = new AggregationGrid(plan);
        Assert.True(grid.TryAddSeries(new Dictionary<string, string>(), Get, out _, out _));

        Assert.True(grid.TryAllocate(null, readsRollups: true, out _));
        Assert.False(grid.NeedsCountingPass);
        Assert.True(grid.Accumulator(0).NeedsSketch);
        Assert.Contains(grid.Warnings, w => w.Contains("sketches", StringComparison.Ordinal));
    }

    [Fact]
    public void AddRollup_SummaryWithoutEnds_MakesFirstNullAndWarns()
    {
        var plan = Plan(Query(new TimeRange(T0, T0.AddHours(1)), Agg(AggregationFunction.First, "1h", "x"), Agg(AggregationFunction.Sum, "1h", "x")));
        using var grid = new AggregationGrid(plan);
        Assert.True(grid.TryAddSeries(new Dictionary<string, string>(), Get, out var group, out _));
        Assert.True(grid.TryAllocate(null, true, out _));
        var stats = new Statistics.StreamingStats();
        var sketch = new Statistics.QuantileSketch();
        foreach (var v in new[] { 1.0, 2.0, 4.0 })
        {
            stats.TryAdd(v);
            sketch.TryAdd(v);
        }

        var cell = RollupCell.Empty();
        cell.MergeSummary(stats, sketch);
        grid.AddRollup(group, T0.UtcTicks, 0, cell);

        var result = grid.ToResult(new QueryScanStatistics(0, 0, 1, ["1h"])).Result!;

        var point = Assert.Single(Assert.Single(result.Series).Points);
        Assert.Null(point.Values["x_first"]);
        Assert.Equal(7.0, Number(point, "x_sum"), 9);
        Assert.Equal(["1h"], result.Metadata.Resolutions);
        Assert.Contains(result.Metadata.Warnings, w => w.Contains("first and last are null", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10, 0UL, ulong.MaxValue, 1000, 0, 10, false)]
    [InlineData(10, 3UL, 4UL, 1000, 3, 4, false)]
    [InlineData(10, 12UL, ulong.MaxValue, 1000, 10, 0, false)]
    [InlineData(10, 0UL, ulong.MaxValue, 6, 0, 6, true)]
    public void RawResultBuilder_TryTake_AppliesOffsetLimitAndBudget(int rows, ulong offset, ulong limit, int budget, int first, int count, bool truncated)
    {
        var query = Query() with { Offset = offset, Limit = limit == ulong.MaxValue ? null : limit };
        var builder = new RawResultBuilder(Plan(query, TimeSeriesQueryLimits.Default with { MaxResultPoints = budget }));

        Assert.True(builder.TryTake(rows, out var f, out var c));

        Assert.Equal((first, count, truncated), (f, c, builder.IsTruncated));
        Assert.False(builder.TryTake(0, out _, out _));
    }

    [Fact]
    public void RawResultBuilder_RollupPoints_GoBeforeTheRawPointsOfTheSameTags()
    {
        var builder = new RawResultBuilder(Plan(Query(new TimeRange(T0, T0.AddDays(1)))));
        var tags = new Dictionary<string, string> { ["m"] = "a" };
        Assert.True(builder.TryTake(1, out _, out _));
        builder.AddSeries(tags, [new TimeSeriesDataPoint { Timestamp = T0.AddHours(5), Values = new Dictionary<string, FieldValue?> { ["x"] = FieldValue.FromDouble(9) } }]);
        var cell = RollupCell.Empty();
        cell.Add(T0.UtcTicks, 2);
        cell.Add(T0.AddMinutes(1).UtcTicks, 4);

        builder.AddRollupBucket(builder.BeginRollupSeries(tags), T0.UtcTicks, ["x"], [cell]);
        var result = builder.ToResult(0, 1, ["1h"]).Result!;

        var series = Assert.Single(result.Series);
        Assert.Equal([T0, T0.AddHours(5)], series.Points.Select(p => p.Timestamp));
        Assert.Equal(3.0, Number(series.Points[0], "x"), 9);
        Assert.Equal(["raw", "1h"], result.Metadata.Resolutions);
        Assert.Equal(2UL, result.Metadata.PointsScanned);
    }
}
