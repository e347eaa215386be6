using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

public class StreamingStatsTests
{
    [Fact]
    public void Sum_CancellationOfLargeValues_IsExact()
    {
        var stats = default(StreamingStats);
        foreach (var x in new[] { 1e16, 1, 1, -1e16 })
        {
            stats.TryAdd(x);
        }

        Assert.Equal(2.0, stats.Sum);
        Assert.Equal(0.5, stats.Mean);
    }

    [Fact]
    public void Merge_CancellationSplitAcrossParts_SumIsExact()
    {
        var a = default(StreamingStats);
        a.TryAdd(1e16);
        a.TryAdd(1);
        var b = default(StreamingStats);
        b.TryAdd(1);
        b.TryAdd(-1e16);
        a.Merge(b);
        Assert.Equal(2.0, a.Sum);
        Assert.Equal(4UL, a.Count);
        Assert.Equal(-1e16, a.Min);
        Assert.Equal(1e16, a.Max);
    }

    [Fact]
    public void Variance_KnownValues_SampleAndPopulationForms()
    {
        var stats = default(StreamingStats);
        foreach (var x in new double[] { 2, 4, 4, 4, 5, 5, 7, 9 })
        {
            stats.TryAdd(x);
        }

        Assert.Equal(5.0, stats.Mean);
        Assert.Equal(2.0, stats.PopulationStandardDeviation, 12);
        Assert.Equal(4.0, stats.PopulationVariance, 12);
        Assert.Equal(32.0 / 7, stats.Variance, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), stats.StandardDeviation, 12);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void TryAdd_NonFinite_RefusedAndNothingStored(double value)
    {
        var stats = default(StreamingStats);
        stats.TryAdd(3);
        Assert.False(stats.TryAdd(value));
        Assert.Equal(1UL, stats.Count);
        Assert.Equal(3.0, stats.Sum);
        Assert.Equal(3.0, stats.Max);
    }

    [Fact]
    public void Properties_Empty_AreNaNAndZeroCount()
    {
        var stats = default(StreamingStats);
        Assert.Equal(0UL, stats.Count);
        Assert.Equal(0.0, stats.Sum);
        Assert.True(double.IsNaN(stats.Mean));
        Assert.True(double.IsNaN(stats.Min));
        Assert.True(double.IsNaN(stats.Max));
        Assert.True(double.IsNaN(stats.Variance));
        Assert.True(double.IsNaN(stats.PopulationVariance));
    }

    [Fact]
    public void Variance_OneValue_SampleIsNaNPopulationIsZero()
    {
        var stats = default(StreamingStats);
        stats.TryAdd(42);
        Assert.True(double.IsNaN(stats.StandardDeviation));
        Assert.Equal(0.0, stats.PopulationStandardDeviation);
    }

    [Fact]
    public void Merge_IntoEmptyAndFromEmpty_CopiesOrKeeps()
    {
        var a = default(StreamingStats);
        a.TryAdd(1);
        a.TryAdd(2);
        var empty = default(StreamingStats);
        empty.Merge(a);
        a.Merge(default);
        Assert.Equal(a.Sum, empty.Sum);
        Assert.Equal(a.Variance, empty.Variance);
        Assert.Equal(2UL, a.Count);
    }

    [Fact]
    public void Reset_AfterValues_IsEmpty()
    {
        var stats = default(StreamingStats);
        stats.TryAdd(1);
        stats.Reset();
        Assert.Equal(0UL, stats.Count);
        Assert.True(double.IsNaN(stats.Mean));
    }
}
